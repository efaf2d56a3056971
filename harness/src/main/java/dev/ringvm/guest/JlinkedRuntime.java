package dev.ringvm.guest;

import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.CacheLock;
import dev.ringvm.host.Sha256;

import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A jlinked java.base runtime plus the host libraries it needs, cached under
 * {@code <cacheRoot>/jre/<hash>} by JDK identity (release file, java.home, jlink options), so changing only
 * the probe does not jlink again.
 */
final class JlinkedRuntime {
    /** Bumped when the layout of a cached runtime changes. */
    static final int FORMAT = 1;
    static final String HOST_LIBS = "host-libs.txt";

    /**
     * The runtime directory and what its binaries link against: host libraries (absolute host paths, copied to the
     * same paths in the guest), or a sysroot whose tree is the guest's (a runtime of another architecture, null for
     * the host's).
     */
    record Runtime(Path root, List<Path> hostLibraries, Path sysroot, String key) {
        Runtime(Path root, List<Path> hostLibraries, String key) {
            this(root, hostLibraries, null, key);
        }
    }

    private JlinkedRuntime() {}

    static String key(Path javaHome, List<String> jlinkOptions) throws IOException {
        Path release = javaHome.resolve("release");
        return Sha256.fields()
                .field("format", Integer.toString(FORMAT))
                .field("release", Files.isRegularFile(release) ? Files.readAllBytes(release) : new byte[0])
                .field("javaHome", javaHome.toAbsolutePath().normalize().toString())
                .field("jlink", String.join("\u0000", jlinkOptions))
                .hex();
    }

    static Runtime ensure(Path cacheRoot, Path javaHome, List<String> jlinkOptions, Consumer<String> events)
            throws IOException {
        String key = key(javaHome, jlinkOptions);
        Path parent = cacheRoot.resolve("jre");
        Path dir = parent.resolve(key);
        return CacheLock.with(parent.resolve(key + ".lock"), () -> {
            if (!Files.isRegularFile(dir.resolve(HOST_LIBS))) {
                build(dir, javaHome, jlinkOptions, events);
            } else {
                events.accept("jlinked runtime cached: " + dir);
            }
            List<Path> libs = Files.readAllLines(dir.resolve(HOST_LIBS), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .map(Path::of)
                    .toList();
            return new Runtime(dir.resolve("runtime"), libs, key);
        });
    }

    private static void build(Path dir, Path javaHome, List<String> jlinkOptions,
            Consumer<String> events) throws IOException {
        // a leftover without HOST_LIBS is incomplete: we hold the lock, so it is replaced
        AtomicFiles.writeDirectory(dir, d -> Files.exists(d.resolve(HOST_LIBS)), tmp -> {
            Path runtime = tmp.resolve("runtime");
            List<String> argv = new ArrayList<>();
            argv.add(javaHome.resolve("bin").resolve("jlink").toString());
            argv.addAll(jlinkOptions);
            argv.add("--output");
            argv.add(runtime.toString());
            events.accept("jlink: " + String.join(" ", argv));
            ProcessRunner.Result r = ProcessRunner.run(argv, Duration.ofMinutes(5));
            if (r.exitCode() != 0) {
                throw new IOException("jlink failed (exit " + r.exitCode() + "): " + tail(r.output()));
            }
            List<Path> elves = elfFiles(runtime);
            List<String> libs = Ldd.hostLibraries(elves, runtime).stream().map(Path::toString).toList();
            Files.write(tmp.resolve(HOST_LIBS), libs, StandardCharsets.UTF_8);
        });
    }

    /** bin/* and every *.so under lib: what the guest's loader maps. */
    static List<Path> elfFiles(Path runtime) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(runtime)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> p.getParent().getFileName().toString().equals("bin")
                            || p.getFileName().toString().endsWith(".so"))
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }

    static String tail(String s) {
        String t = s.strip();
        return t.length() <= 2000 ? t : "..." + t.substring(t.length() - 2000);
    }
}
