package dev.ringvm.run;

import dev.ringvm.config.Expectations;
import dev.ringvm.kernel.ResolvedKernel;

/**
 * One boot of the kernel x guest memory x repeat matrix.
 *
 * @param repeat 0-based boot index of this kernel x memory ({@code --repeat N} gives 0..N-1)
 * @param expect the kernel's kernels.yaml expectations override, null when it has none
 */
public record VmJob(ResolvedKernel kernel, int memoryMiB, int repeat, Expectations expect) {

    public VmJob(ResolvedKernel kernel, int memoryMiB) {
        this(kernel, memoryMiB, 0, null);
    }

    /** Directory and suite name: {@code debian-6.12-512M}, repeats after the first {@code debian-6.12-512M-r2}. */
    public String name() {
        return cell() + (repeat == 0 ? "" : "-r" + (repeat + 1));
    }

    /** The report cell all repeats of this kernel x memory aggregate into: {@code debian-6.12-512M}. */
    public String cell() {
        return kernel.id() + "-" + memoryMiB + "M";
    }
}
