package dev.ringvm.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Checks of a kernel image file for other packages (a cached build): whether it is a whole bzImage. */
public final class KernelImages {
    private KernelImages() {}

    /**
     * Why {@code file} is not a usable bzImage (not one, truncated against its header, no version string), or empty
     * when it is one.
     */
    public static Optional<String> problem(Path file) {
        try {
            BzImage.read(file);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
