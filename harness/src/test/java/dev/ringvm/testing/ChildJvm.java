package dev.ringvm.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM on the test class path running a given main class: what a test needs to see ringvm from outside (a
 * lock held by another process, a JVM killed with SIGKILL, a signal's exit status). Its stdout is read line by line;
 * {@link #awaitLine} waits (bounded) for one that starts with a prefix.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code main} with {@code args}; stderr goes to {@code stderr} (a file, so a failure can be read). */
    public static ChildJvm start(Class<?> main, Path stderr, String... args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, main.getName()));
        argv.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(argv).redirectError(stderr.toFile()).start());
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** The first stdout line starting with {@code prefix}, waiting at most {@code limit}. */
    public String awaitLine(String prefix, Duration limit) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    if (l.startsWith(prefix)) return l;
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String l = line.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (l == null) throw new AssertionError("child JVM ended without printing a line starting with " + prefix);
        return l;
    }

    /** Sends SIGKILL and waits (bounded) until it is gone. */
    public void kill9() throws Exception {
        new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).start().waitFor();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
