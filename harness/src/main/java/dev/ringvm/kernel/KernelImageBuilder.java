package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Builds the kernel image of a {@code build:} source and returns its path in the cache (reused when every input is
 * unchanged). The resolver hashes and labels the image like any other.
 */
@FunctionalInterface
public interface KernelImageBuilder {
    /** Builds an x86-64 bzImage. */
    Path build(String id, KernelSource.BuildSource source, Consumer<String> log)
            throws IOException, KernelUnavailableException;

    /**
     * Builds an image for {@code arch}; a builder that only knows x86-64 (the single-method form) refuses another
     * architecture.
     */
    default Path build(String id, KernelSource.BuildSource source, Arch arch, Consumer<String> log)
            throws IOException, KernelUnavailableException {
        if (arch != Arch.X86_64) {
            throw new KernelUnavailableException("kernel " + id + ": this kernel builder builds x86-64 kernels only, not "
                    + arch.id());
        }
        return build(id, source, log);
    }
}
