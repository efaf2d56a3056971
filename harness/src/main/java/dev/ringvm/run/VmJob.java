package dev.ringvm.run;

import dev.ringvm.kernel.ResolvedKernel;

/**
 * One cell of the kernel x guest memory matrix: one VM boot, or for a host kernel ({@code image} null) the one
 * probe run on the host, with {@code memoryMiB} 0.
 */
public record VmJob(ResolvedKernel kernel, int memoryMiB) {

    /** The one job of a host kernel: no VM, so no guest memory size. */
    public static VmJob onHost(ResolvedKernel kernel) {
        return new VmJob(kernel, 0);
    }

    /** True for a {@code host: true} kernel: the probe runs on the running kernel, not in a VM. */
    public boolean onHost() {
        return kernel.image() == null;
    }

    /** {@code 512M}, or {@code host} for the host kernel's job. */
    public String memoryLabel() {
        return onHost() ? "host" : memoryMiB + "M";
    }

    /** Directory and suite name: {@code debian-6.12-512M}, {@code my-laptop-host}. */
    public String name() {
        return kernel.id() + "-" + memoryLabel();
    }
}
