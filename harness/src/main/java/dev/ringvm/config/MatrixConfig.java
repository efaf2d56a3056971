package dev.ringvm.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated kernels.yaml.
 *
 * @param file      the file it was read from (messages name it)
 * @param kernels   kernels in file order, ids unique
 * @param memoryMiB guest memory sizes in MiB, file order, default [512, 2048]
 */
public record MatrixConfig(Path file, List<KernelEntry> kernels, List<Integer> memoryMiB) {
    public static final List<Integer> DEFAULT_MEMORY_MIB = List.of(512, 2048);

    public MatrixConfig {
        kernels = List.copyOf(kernels);
        memoryMiB = List.copyOf(memoryMiB);
    }
}
