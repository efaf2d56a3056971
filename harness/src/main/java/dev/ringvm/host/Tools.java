package dev.ringvm.host;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding host programs the way a shell would. */
public final class Tools {
    private Tools() {}

    /** A name with a slash is a path that must be an executable file; a bare name is searched on PATH. */
    public static Optional<Path> find(String name) {
        return find(name, System.getenv("PATH"));
    }

    /** Pure form for tests. */
    public static Optional<Path> find(String name, String pathEnv) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (pathEnv == null) return Optional.empty();
        for (String dir : pathEnv.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    public static boolean onPath(String name) {
        return find(name).isPresent();
    }
}
