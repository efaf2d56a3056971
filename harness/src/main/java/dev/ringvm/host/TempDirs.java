package dev.ringvm.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.file.PathUtils;

/**
 * Per-use temporary directories under {@code java.io.tmpdir} named {@code <prefix><pid>-<random>}: the owner's pid
 * is in the name, so what a killed ringvm left behind (no finally block runs after SIGKILL) is recognisable and
 * removed by the next ringvm that creates one ({@link #sweep}): a directory whose pid no longer runs a java
 * process.
 */
public final class TempDirs {
    private static final Pattern OWNER = Pattern.compile("(\\d+)-.*");
    private static final java.util.Set<String> SWEPT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private TempDirs() {}

    /** A fresh directory {@code <tmpdir>/<prefix><pid>-<random>}; the first call per prefix sweeps stale ones. */
    public static Path create(String prefix) throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    /** {@link #create(String)} in {@code base} (a cache's tmp directory, on the file system renames go to). */
    public static Path create(Path base, String prefix) throws IOException {
        Files.createDirectories(base);
        if (SWEPT.add(base.toAbsolutePath() + "/" + prefix)) sweep(base, prefix);
        return Files.createTempDirectory(base, prefix + ProcessHandle.current().pid() + "-");
    }

    /** A fresh file {@code <base>/<prefix><pid>-<random><suffix>}, with the same sweep. */
    public static Path createFile(Path base, String prefix, String suffix) throws IOException {
        Files.createDirectories(base);
        if (SWEPT.add(base.toAbsolutePath() + "/" + prefix)) sweep(base, prefix);
        return Files.createTempFile(base, prefix + ProcessHandle.current().pid() + "-", suffix);
    }

    /**
     * Deletes every {@code <prefix><pid>-*} directory or file in {@code base} whose pid is not a running process (or
     * is one that is not java: the pid was reused); returns how many.
     */
    public static int sweep(Path base, String prefix) {
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, prefix + "*")) {
            for (Path d : ds) {
                Optional<Long> owner = owner(d.getFileName().toString(), prefix);
                if (owner.isEmpty() || alive(owner.get())) continue;
                try {
                    if (Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) PathUtils.deleteDirectory(d);
                    else Files.deleteIfExists(d);
                    removed++;
                } catch (IOException e) {
                    // another user's, or going away right now: not ours to insist on
                }
            }
        } catch (IOException e) {
            // an unreadable tmpdir: nothing to sweep
        }
        return removed;
    }

    static Optional<Long> owner(String name, String prefix) {
        if (!name.startsWith(prefix)) return Optional.empty();
        Matcher m = OWNER.matcher(name.substring(prefix.length()));
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    private static boolean alive(long pid) {
        if (pid == ProcessHandle.current().pid()) return true;
        return ProcessHandle.of(pid).map(h -> h.isAlive()
                && h.info().command().map(c -> c.endsWith("/java") || c.endsWith("/ringvm")).orElse(true))
                .orElse(false);
    }

    /** Deletes {@code dir} and everything in it, quietly; for finally blocks. Returns whether it is gone. */
    public static boolean delete(Path dir) {
        if (dir == null) return true;
        try {
            if (Files.exists(dir)) PathUtils.deleteDirectory(dir);
        } catch (IOException e) {
            return false;
        }
        return !Files.exists(dir);
    }
}
