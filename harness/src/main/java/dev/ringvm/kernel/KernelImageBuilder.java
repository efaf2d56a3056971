package dev.ringvm.kernel;

import dev.ringvm.config.KernelSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Builds the bzImage of a {@code build:} source and returns its path in the cache (reused when every input is
 * unchanged). The resolver hashes and labels the image like any other.
 */
@FunctionalInterface
public interface KernelImageBuilder {
    Path build(String id, KernelSource.BuildSource source, Consumer<String> log)
            throws IOException, KernelUnavailableException;
}
