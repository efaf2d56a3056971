package dev.ringvm.run;

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
                         boolean requireAll) {

    public RunSummary {
        vms = List.copyOf(vms);
        unavailable = List.copyOf(unavailable);
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
    public int exitCode() {
        boolean allComplete = vms.size() == planned && vms.stream().allMatch(VmResult::complete);
        return allComplete && (!requireAll || unavailable.isEmpty()) ? 0 : 3;
    }
}
