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
     * Where this run sits in a (possibly sharded) matrix and how it ended.
     *
     * @param shard         the {@code --shard I/N} this run covered; null for an unsharded run
     * @param matrix        fingerprint of the whole matrix (kernels, sources, memory sizes, repeats); merge
     *                      refuses shards whose fingerprints differ; null when unknown (older run directories)
     * @param matrixCells   every kernel x memory cell of the whole matrix in report order (empty when unknown)
     * @param interrupted   Ctrl-C stopped the run: VMs in {@code notRun} were never finished, not failed
     * @param notRun        VM names (or, after a merge with missing shards, cells) that produced no result
     * @param missingShards shard numbers a merge did not get
     */
    public record Context(Shard shard, String matrix, List<String> matrixCells, boolean interrupted,
                          List<String> notRun, List<Integer> missingShards) {
        public static final Context NONE = new Context(null, null, List.of(), false, List.of(), List.of());

        public Context {
            matrixCells = List.copyOf(matrixCells);
            notRun = List.copyOf(notRun);
            missingShards = List.copyOf(missingShards);
        }

        public Context interrupted(List<String> notRun) {
            return new Context(shard, matrix, matrixCells, true, notRun, missingShards);
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
     * DESIGN.md exit codes for this issue: 3 when a planned VM did not produce a complete record set, or (with
     * {@code --require-all}) when a kernel was unavailable; else 0. An unreachable kernel alone does not fail a
     * matrix by default, because one offline source must not hide what every other kernel did.
     */
    public ExitCode exitCode() {
        boolean allComplete = vms.size() == planned && vms.stream().allMatch(VmResult::complete);
        return allComplete && (!requireAll || unavailable.isEmpty()) ? ExitCode.OK : ExitCode.INFRA;
    }
}
