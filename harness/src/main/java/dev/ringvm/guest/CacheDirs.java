package dev.ringvm.guest;

import java.nio.file.Path;
import java.util.Map;

/** Where ringvm keeps its cache: {@code $XDG_CACHE_HOME/ringvm}, else {@code ~/.cache/ringvm}. */
public final class CacheDirs {
    private CacheDirs() {}

    public static Path defaultRoot() {
        return defaultRoot(System.getenv(), System.getProperty("user.home"));
    }

    /** Pure form for tests: an empty or relative XDG_CACHE_HOME is ignored, as the XDG spec says. */
    static Path defaultRoot(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ringvm");
        }
        return Path.of(userHome, ".cache", "ringvm");
    }
}
