package dev.ringvm.run;

import dev.ringvm.kernel.ResolvedKernel;

/** One cell of the kernel x guest memory matrix: one VM boot. */
public record VmJob(ResolvedKernel kernel, int memoryMiB) {

    /** Directory and suite name: {@code debian-6.12-512M}. */
    public String name() {
        return kernel.id() + "-" + memoryMiB + "M";
    }
}
