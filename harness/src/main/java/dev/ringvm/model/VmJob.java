package dev.ringvm.model;

import dev.ringvm.config.Expectations;
import dev.ringvm.model.ResolvedKernel;

/**
 * One boot of the kernel x guest memory x repeat matrix; for a host kernel ({@code image} null) the probe run on
 * the host, with {@code memoryMiB} 0.
 *
 * @param repeat 0-based boot index of this kernel x memory ({@code --repeat N} gives 0..N-1)
 * @param expect the kernel's kernels.yaml expectations override, null when it has none
 * @param memlockKiB the kernel's {@code unprivileged:}: the probe runs as uid 65534 with this RLIMIT_MEMLOCK (KiB);
 *                   null: as root, unlimited
 */
public record VmJob(ResolvedKernel kernel, int memoryMiB, int repeat, Expectations expect, Integer memlockKiB) {

    public VmJob(ResolvedKernel kernel, int memoryMiB, int repeat, Expectations expect) {
        this(kernel, memoryMiB, repeat, expect, null);
    }

    public VmJob(ResolvedKernel kernel, int memoryMiB) {
        this(kernel, memoryMiB, 0, null);
    }

    /** The one job of a host kernel: no VM, so no guest memory size. */
    public static VmJob onHost(ResolvedKernel kernel) {
        return new VmJob(kernel, 0);
    }

    /**
     * True for a {@code host: true} kernel: the probe runs on the running kernel, not in a VM. Decided by the
     * source, not by a missing image: a run directory read back from disk knows sources but not image paths.
     */
    public boolean onHost() {
        return kernel.onHost();
    }

    /** {@code 512M}, or {@code host} for the host kernel's job. */
    public String memoryLabel() {
        return onHost() ? "host" : memoryMiB + "M";
    }

    /** Directory and suite name: {@code debian-6.12-512M}, repeats after the first {@code debian-6.12-512M-r2}. */
    public String name() {
        return cell() + (repeat == 0 ? "" : "-r" + (repeat + 1));
    }

    /** The report cell all repeats of this kernel x memory aggregate into: {@code debian-6.12-512M}, {@code laptop-host}. */
    public String cell() {
        return kernel.id() + "-" + memoryLabel();
    }
}
