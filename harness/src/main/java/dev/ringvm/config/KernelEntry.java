package dev.ringvm.config;

/**
 * One entry of the `kernels:` list: a stable id (used in reports and file names), its source, and an optional
 * expectations override ({@code expect:}, null when absent).
 */
public record KernelEntry(String id, KernelSource source, Expectations expect) {
    public KernelEntry(String id, KernelSource source) {
        this(id, source, null);
    }
}
