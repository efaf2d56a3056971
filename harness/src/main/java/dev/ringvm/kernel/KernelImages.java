package dev.ringvm.kernel;

import dev.ringvm.config.Arch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Checks of a kernel image file for other packages (a cached build): whether it is a whole kernel image. */
public final class KernelImages {
    private KernelImages() {}

    /**
     * Why {@code file} is not a usable kernel image (neither an x86 bzImage nor an arm64 Image, truncated against its
     * header, no version string), or empty when it is one.
     */
    public static Optional<String> problem(Path file) {
        try {
            KernelImage.read(file);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Why {@code file} is not a usable kernel image for {@code arch} (as {@link #problem(Path)}, or a whole image of
     * another architecture), or empty when it is one.
     */
    public static Optional<String> problem(Path file, Arch arch) {
        try {
            KernelImage header = KernelImage.read(file);
            return header.arch() == arch ? Optional.empty()
                    : Optional.of(file + " is an " + header.describe() + ", not an " + arch.id() + " kernel");
        } catch (IOException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
