package dev.ringvm.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Everything a report needs about one run, in matrix order.
 *
 * @param planned      VMs the matrix asked for (finished ones are in {@code vms})
 * @param accel        accelerator chosen for the run, with the reason in {@code accelReason}
 */
public record RunSummary(String nonce, Instant started, Instant finished, Path outDir, String accel,
                         String accelReason, int planned, List<VmResult> vms, List<UnavailableKernel> unavailable,
                         boolean requireAll, Context context) {

    public RunSummary {
        vms = List.copyOf(vms);
        unavailable = List.copyOf(unavailable);
        if (context == null) context = Context.NONE;
    }

    /**
     * Why a run stopped before its end: a signal ({@code SIGTERM}, exit 143), the disk under the run directory
     * filling up (exit 3), or a run directory whose ringvm was killed before it could say (exit 3).
     *
     * @param reason   one line for people: {@code SIGINT}, {@code disk full: /runs/x (0 bytes free)}, ...
     * @param exitCode the exit status the run ended (or ends) with
     */
    public record Stop(String reason, int exitCode) {
        public static Stop signal(String name, int exitCode) {
            return new Stop(name, exitCode);
        }

        /** A signal (the JVM exits 128 + its number), not a failure ringvm detected. */
        public boolean bySignal() {
            return reason != null && reason.startsWith("SIG");
        }
    }

    /**
     * Where this run sits in a (possibly sharded) matrix and how it ended.
     *
     * @param shard         the {@code --shard I/N} this run covered; null for an unsharded run
     * @param matrix        fingerprint of the whole matrix (kernels, sources, memory sizes, repeats); merge
     *                      refuses shards whose fingerprints differ; null when unknown (older run directories)
     * @param matrixCells   every kernel x memory cell of the whole matrix in report order (empty when unknown)
     * @param interrupted   the run stopped early (Ctrl-C, a signal, a full disk): VMs in {@code notRun} were never
     *                      finished, not failed
     * @param notRun        VM names (or, after a merge with missing shards, cells) that produced no result
     * @param missingShards shard numbers a merge did not get
     * @param running       written while the run was going on (run.json says {@code state: running}); a directory
     *                      that still says so with nobody holding its lock was left by a killed ringvm
     * @param stop          why it stopped early, or null
     */
    public record Context(Shard shard, String matrix, List<String> matrixCells, boolean interrupted,
                          List<String> notRun, List<Integer> missingShards, boolean running, Stop stop) {
        public static final Context NONE = new Context(null, null, List.of(), false, List.of(), List.of());

        public Context {
            matrixCells = List.copyOf(matrixCells);
            notRun = List.copyOf(notRun);
            missingShards = List.copyOf(missingShards);
        }

        public Context(Shard shard, String matrix, List<String> matrixCells, boolean interrupted, List<String> notRun,
                       List<Integer> missingShards) {
            this(shard, matrix, matrixCells, interrupted, notRun, missingShards, false, null);
        }

        public Context interrupted(List<String> notRun) {
            return new Context(shard, matrix, matrixCells, true, notRun, missingShards, running, stop);
        }

        /** The same, written while the run is going on ({@code true}) or at its end. */
        public Context running(boolean isRunning) {
            return new Context(shard, matrix, matrixCells, interrupted, notRun, missingShards, isRunning, stop);
        }

        /** The same, stopped early for {@code why}. */
        public Context stopped(Stop why) {
            return new Context(shard, matrix, matrixCells, interrupted, notRun, missingShards, running, why);
        }
    }

    public RunSummary(String nonce, Instant started, Instant finished, Path outDir, String accel, String accelReason,
                      int planned, List<VmResult> vms, List<UnavailableKernel> unavailable, boolean requireAll) {
        this(nonce, started, finished, outDir, accel, accelReason, planned, vms, unavailable, requireAll, Context.NONE);
    }

    /** Without {@code --require-all}: unavailable kernels are reported but do not fail the run. */
    public RunSummary(String nonce, Instant started, Instant finished, Path outDir, String accel, String accelReason,
                      int planned, List<VmResult> vms, List<UnavailableKernel> unavailable) {
        this(nonce, started, finished, outDir, accel, accelReason, planned, vms, unavailable, false);
    }

    /**
     * DESIGN.md exit codes for this issue: 3 when a planned VM did not produce a complete record set, when nothing
     * was tested at all, when a kernel failed an integrity check (checksum, image format, kernels.lock pin), when
     * the run stopped for a full disk, or (with {@code --require-all}) when a kernel was unavailable; else 0. An
     * unreachable kernel alone does not fail a matrix by default, because one offline source must not hide what
     * every other kernel did; a corrupt one does, because it is not what the user asked to test.
     */
    public ExitCode exitCode() {
        boolean allComplete = vms.size() == planned && vms.stream().allMatch(VmResult::complete);
        boolean integrity = unavailable.stream().anyMatch(UnavailableKernel::integrity);
        return allComplete && !nothingTested() && !integrity && context.stop() == null
                && (!requireAll || unavailable.isEmpty())
                ? ExitCode.OK : ExitCode.INFRA;
    }

    /** No VM (and no host probe) was planned: the run tested nothing, which is never a success. */
    public boolean nothingTested() {
        return planned == 0 && vms.isEmpty();
    }
}
