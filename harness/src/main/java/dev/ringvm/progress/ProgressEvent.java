package dev.ringvm.progress;

/**
 * What the run reports about its progress. Producers (the run command, {@code MatrixRun}, the results follower)
 * emit these from any thread; only a {@link ProgressView} writes to the terminal.
 */
public sealed interface ProgressEvent {

    /** The matrix is about to run {@code vms} VMs, {@code parallel} at a time (known only after resolving). */
    record Planned(int vms, int parallel) implements ProgressEvent {}

    /** A task started or moved to {@code stage}; {@code detail} (may be empty) completes the plain line. */
    record StageChanged(Task task, Stage stage, String detail) implements ProgressEvent {}

    /**
     * The probe of a running task is at its {@code caseNo}-th case (1-based, in run order; 0: header seen, no case
     * begun yet) of {@code cases} ({@code -1} when the header does not say).
     */
    record Probing(Task task, int caseNo, int cases) implements ProgressEvent {}

    /** The task ended with a result; {@code summary} is its one-line outcome ({@code done in 12.3 s, ...}). */
    record Finished(Task task, String summary) implements ProgressEvent {}

    /** The task ended without a result of its own (a resolved kernel, a VM Ctrl-C stopped): its line goes away. */
    record Dropped(Task task) implements ProgressEvent {}
}
