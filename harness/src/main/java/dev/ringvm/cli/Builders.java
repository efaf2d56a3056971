package dev.ringvm.cli;

import dev.ringvm.kernel.KernelImageBuilder;
import dev.ringvm.kernel.KernelUnavailableException;

import java.nio.file.Path;

/** The one place the commands get their kernel builder from (the seam for {@code build:} sources). */
final class Builders {
    private Builders() {}

    /** The builder for {@code build:} sources, caching under {@code cacheRoot}. */
    static KernelImageBuilder kernelBuilder(Path cacheRoot) {
        return (id, source, log) -> {
            throw new KernelUnavailableException("kernel " + id + ": kernel builds are not available in this build");
        };
    }
}
