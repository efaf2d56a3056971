package dev.ringvm.host;

import java.nio.file.Path;

/** Where ringvm keeps downloads and builds: an explicit override, else $XDG_CACHE_HOME/ringvm, else ~/.cache/ringvm. */
public final class CacheDirs {

    private CacheDirs() {}

    public static Path root() {
        return root(null);
    }

    /** {@code override} (for example from {@code --cache DIR}) wins when not null. */
    public static Path root(Path override) {
        return root(override, System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
    }

    /** Pure form for tests; a relative XDG_CACHE_HOME is ignored, as the XDG spec says. */
    static Path root(Path override, String xdgCacheHome, String home) {
        if (override != null) return override.toAbsolutePath();
        if (xdgCacheHome != null && !xdgCacheHome.isBlank() && Path.of(xdgCacheHome).isAbsolute()) {
            return Path.of(xdgCacheHome, "ringvm");
        }
        return Path.of(home, ".cache", "ringvm");
    }

    /** {@code <root>/kernels/<sha256>/vmlinuz}. */
    public static Path kernelImage(Path root, String sha256) {
        return root.resolve("kernels").resolve(sha256).resolve("vmlinuz");
    }
}
