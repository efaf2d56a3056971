package dev.ringvm.config;

/**
 * One entry of the `kernels:` list: a stable id (used in reports and file names), its source, an optional
 * expectations override ({@code expect:}, null when absent), and {@code unprivileged:} (the RLIMIT_MEMLOCK in KiB
 * the probe runs under as an unprivileged user; null: as root, unlimited) and {@code arch:} (the guest architecture,
 * x86-64 when absent).
 */
public record KernelEntry(String id, KernelSource source, Expectations expect, Integer memlockKiB, Arch arch) {
    public KernelEntry {
        if (arch == null) arch = Arch.DEFAULT;
    }

    public KernelEntry(String id, KernelSource source, Expectations expect, Integer memlockKiB) {
        this(id, source, expect, memlockKiB, Arch.DEFAULT);
    }

    public KernelEntry(String id, KernelSource source) {
        this(id, source, null, null);
    }

    public KernelEntry(String id, KernelSource source, Expectations expect) {
        this(id, source, expect, null);
    }
}
