package dev.ringvm.run;

import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import java.nio.file.Path;

/** Sends host-kernel jobs to the host probe runner and every other job to the VM runner. */
public final class RoutingVmRunner implements VmRunner {
    private final VmRunner host;
    private final VmRunner vm;

    /** @param vm may be null when the matrix holds only host kernels (no guest image, no QEMU) */
    public RoutingVmRunner(VmRunner host, VmRunner vm) {
        this.host = host;
        this.vm = vm;
    }

    @Override
    public VmResult run(VmJob job, Path vmDir, String nonce) throws InterruptedException {
        if (job.onHost()) return host.run(job, vmDir, nonce);
        if (vm == null) throw new IllegalStateException(job.name() + ": no VM runner configured");
        return vm.run(job, vmDir, nonce);
    }
}
