package dev.ringvm.cli;

import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.KernelImageBuilder;
import dev.ringvm.kernel.build.DebianSourceBuilder;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The one place the commands get their kernel builder from (the seam for {@code build:} sources). */
final class Builders {
    private Builders() {}

    /** The builder for {@code build:} sources, caching under {@code cacheRoot}; apt progress goes to {@code log}. */
    static KernelImageBuilder kernelBuilder(Path cacheRoot, Consumer<String> log) {
        return new DebianSourceBuilder(cacheRoot, new AptRepo(cacheRoot, log));
    }
}
