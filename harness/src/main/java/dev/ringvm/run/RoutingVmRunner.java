package dev.ringvm.run;

import dev.ringvm.config.Arch;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Sends host-kernel jobs to the host probe runner and every other job to the VM runner of its kernel's architecture
 * (each architecture has its own guest image, QEMU binary and accelerator).
 */
public final class RoutingVmRunner implements VmRunner {
    private final VmRunner host;
    private final Map<Arch, VmRunner> vms;

    /** @param vm the x86-64 VM runner; may be null when the matrix holds only host kernels (no guest image, no QEMU) */
    public RoutingVmRunner(VmRunner host, VmRunner vm) {
        this(host, vm == null ? Map.of() : Map.of(Arch.X86_64, vm));
    }

    /** @param vms the VM runner of each architecture the matrix boots (none: only host kernels) */
    public RoutingVmRunner(VmRunner host, Map<Arch, VmRunner> vms) {
        this.host = host;
        this.vms = vms.isEmpty() ? Map.of() : new EnumMap<>(vms);
    }

    @Override
    public VmResult run(VmJob job, Path vmDir, String nonce) throws InterruptedException {
        if (job.onHost()) return host.run(job, vmDir, nonce);
        VmRunner vm = vms.get(job.kernel().arch());
        if (vm == null) {
            throw new IllegalStateException(job.name() + ": no VM runner configured for " + job.kernel().arch().id());
        }
        return vm.run(job, vmDir, nonce);
    }
}
