package dev.ringvm.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state a live view draws: the running tasks with their stage, and how many VMs are done. Fed by events
 * stamped with the view's clock; thread-safe (every method holds the model's lock), rendering reads snapshots.
 */
final class ProgressModel {

    /** One running task; {@code started} is when its first event arrived. */
    public record Entry(Task task, Instant started, Stage stage, int caseNo, int cases) {}

    /**
     * @param planned  VMs the matrix runs, -1 until {@link ProgressEvent.Planned} (while kernels resolve)
     * @param finished durations of the VMs that finished, in finishing order
     * @param running  running tasks in the order they started
     */
    public record Snapshot(Instant runStarted, int planned, int parallel, List<Duration> finished,
                           List<Entry> running) {

        public int done() {
            return finished.size();
        }

        /**
         * Time until the last VM finishes, empty until one VM finished (nothing to extrapolate from).
         * Each VM is assumed to take the mean of the finished ones: a running VM needs the mean minus its elapsed
         * time (at least 0), a queued one the mean. The work left is spread over {@code parallel} workers, but
         * the run cannot end before its slowest VM: ETA = max(work / parallel, the largest single rest), where a
         * queued VM's rest is the mean.
         */
        public Optional<Duration> eta(Instant now) {
            if (finished.isEmpty() || planned < 0) return Optional.empty();
            long meanNanos = finished.stream().mapToLong(Duration::toNanos).sum() / finished.size();
            long work = 0;
            long longest = 0;
            int runningVms = 0;
            for (Entry e : running) {
                if (!e.task().vm()) continue;
                runningVms++;
                long rest = Math.max(0, meanNanos - Duration.between(e.started(), now).toNanos());
                work += rest;
                longest = Math.max(longest, rest);
            }
            int queued = Math.max(0, planned - done() - runningVms);
            work += queued * meanNanos;
            if (queued > 0) longest = Math.max(longest, meanNanos);
            return Optional.of(Duration.ofNanos(Math.max(work / Math.max(1, parallel), longest)));
        }
    }

    private final Instant runStarted;
    private final Map<String, Entry> running = new LinkedHashMap<>();
    private final List<Duration> finished = new ArrayList<>();
    private int planned = -1;
    private int parallel = 1;

    public ProgressModel(Instant runStarted) {
        this.runStarted = runStarted;
    }

    public synchronized void apply(ProgressEvent event, Instant now) {
        switch (event) {
            case ProgressEvent.Planned p -> {
                planned = p.vms();
                parallel = Math.max(1, p.parallel());
            }
            case ProgressEvent.StageChanged s -> {
                Entry old = running.get(s.task().id());
                running.put(s.task().id(), new Entry(s.task(), old == null ? now : old.started(), s.stage(),
                        old == null ? 0 : old.caseNo(), old == null ? -1 : old.cases()));
            }
            case ProgressEvent.Probing p -> {
                // a late event for a task that already ended must not bring its line back
                Entry old = running.get(p.task().id());
                if (old != null) {
                    running.put(p.task().id(), new Entry(old.task(), old.started(), Stage.PROBING, p.caseNo(), p.cases()));
                }
            }
            case ProgressEvent.Finished f -> {
                Entry old = running.remove(f.task().id());
                if (f.task().vm()) finished.add(old == null ? Duration.ZERO : Duration.between(old.started(), now));
            }
            case ProgressEvent.Dropped d -> running.remove(d.task().id());
        }
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(runStarted, planned, parallel, List.copyOf(finished), List.copyOf(running.values()));
    }
}
