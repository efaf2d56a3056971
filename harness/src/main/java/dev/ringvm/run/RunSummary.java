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
                         String accelReason, int planned, List<VmResult> vms, List<UnavailableKernel> unavailable) {

    public RunSummary {
        vms = List.copyOf(vms);
        unavailable = List.copyOf(unavailable);
    }

    /** DESIGN.md exit codes for this issue: 0 every VM produced a complete record set, 3 otherwise. */
    public int exitCode() {
        boolean allComplete = vms.size() == planned && vms.stream().allMatch(VmResult::complete);
        return allComplete && unavailable.isEmpty() ? 0 : 3;
    }
}
