package dev.ringvm.host;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Every external command ringvm runs, from an argv list (never a shell string), with {@link ProcessBuilder}: a
 * deadline ({@link Process#waitFor(long, TimeUnit)}) past which the process and its descendants are killed, stdin
 * from /dev/null, output captured to files ({@link #run}) or pumped to a sink while it runs ({@link #start}).
 */
public final class ProcessRunner {

    /** What a finished (or killed) process left: exit code, whether the deadline killed it, stdout, stderr. */
    public record Result(int exitCode, boolean timedOut, String stdout, String stderr) {
        public boolean ok() { return exitCode == 0 && !timedOut; }

        /**
         * The last {@code n} non-blank lines of stdout then stderr, joined with " | " for a one-line message;
         * apt's "E:" lines only, when there are any (they say why, the rest is progress).
         */
        public String tail(int n) {
            List<String> all = (stdout + "\n" + stderr).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
            List<String> errors = all.stream().filter(s -> s.startsWith("E: ")).toList();
            List<String> lines = errors.isEmpty() ? all : errors;
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }

        /** stdout then stderr, for tools whose two streams tell one story (jlink, ldd). */
        public String output() {
            return stdout + stderr;
        }
    }

    private static final File DEV_NULL = new File("/dev/null");
    /** After a process ended, how long its output may take to reach the sink (a detached child may hold the pipe). */
    static final Duration DRAIN = Duration.ofSeconds(2);
    /** After a kill, how long to wait for the process to be reaped. */
    static final Duration REAP = Duration.ofSeconds(10);

    private ProcessRunner() {}

    /** {@link #run(List, Path, Duration)} in the current directory. */
    public static Result run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, Path.of("."), timeout);
    }

    /**
     * Runs {@code argv} in {@code workDir} in the C locale (tools' messages are matched in English), non-interactive
     * for apt and dpkg, and waits at most {@code timeout}. A process past it is killed: a result, not an exception.
     * An interrupted wait kills it too, and keeps the thread's interrupt status.
     */
    public static Result run(List<String> argv, Path workDir, Duration timeout) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path out = TempDirs.createFile(tmp, "ringvm-stdout-", ".log");
        Path err = TempDirs.createFile(tmp, "ringvm-stderr-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile())
                    .redirectInput(DEV_NULL).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(Map.of("LC_ALL", "C", "LANG", "C", "DEBIAN_FRONTEND", "noninteractive"));
            Process p = pb.start();
            boolean timedOut = false;
            try {
                if (!p.waitFor(nanos(timeout), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    kill(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill(p);
            }
            return new Result(p.isAlive() ? -1 : p.exitValue(), timedOut,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Starts {@code argv} in {@code workDir}; its stdout and stderr, merged through one pipe, are copied whole to
     * {@code output} (flushed as they come, never closed) by a pump thread. At {@code timeout} after the start the
     * process and its descendants are killed and {@link Running#timedOut()} says so.
     *
     * @param environment edits the child's environment (a copy of this process's)
     */
    public static Running start(List<String> argv, Path workDir, Consumer<Map<String, String>> environment,
            OutputStream output, Duration timeout) throws IOException {
        return start(argv, workDir, environment, output, () -> {}, timeout);
    }

    /** {@link #start}, handing each line of output (UTF-8, without its terminator) to {@code lines} on the pump thread. */
    public static Running startLines(List<String> argv, Path workDir, Consumer<Map<String, String>> environment,
            Consumer<String> lines, Duration timeout) throws IOException {
        Lines split = new Lines(lines);
        return start(argv, workDir, environment, split, split::finish, timeout);
    }

    private static Running start(List<String> argv, Path workDir, Consumer<Map<String, String>> environment,
            OutputStream output, Runnable atEnd, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectInput(DEV_NULL)
                .redirectErrorStream(true);
        environment.accept(pb.environment());
        return new Running(pb.start(), output, atEnd, timeout);
    }

    /** A wait in nanoseconds; a duration past what a long holds (292 years) waits that long instead of failing. */
    static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /** Kills (SIGKILL) the process's descendants, then the process, and waits (bounded) until it is reaped. */
    public static void kill(Process p) {
        killTree(p);
        try {
            p.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills (SIGKILL) the process's descendants, then the process; does not wait. */
    public static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** A started process: its output pump and its deadline. */
    public static final class Running {
        private final Process process;
        private final Thread pump;
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private final AtomicBoolean cancelled = new AtomicBoolean();

        private Running(Process process, OutputStream output, Runnable atEnd, Duration timeout) {
            this.process = process;
            this.pump = Thread.ofPlatform().daemon().name("ringvm-output-" + process.pid()).start(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        output.write(buf, 0, n);
                        output.flush();
                    }
                } catch (IOException ignored) {
                    // the process ended or was killed, or the sink was closed: the exit code says what happened
                } finally {
                    atEnd.run();
                }
            });
            Thread.ofPlatform().daemon().name("ringvm-deadline-" + process.pid()).start(() -> {
                try {
                    if (!process.waitFor(nanos(timeout), TimeUnit.NANOSECONDS) && !cancelled.get()) {
                        timedOut.set(true);
                        killTree(process);
                    }
                } catch (InterruptedException ignored) {
                    // a daemon thread nobody interrupts
                }
            });
        }

        public Process process() { return process; }

        /** Whether the deadline killed it. */
        public boolean timedOut() { return timedOut.get(); }

        /** Waits at most {@code limit} for the process to end, then (briefly) for its output; true when it ended. */
        public boolean waitFor(Duration limit) throws InterruptedException {
            if (!process.waitFor(nanos(limit), TimeUnit.NANOSECONDS)) return false;
            pump.join(DRAIN);
            return true;
        }

        /** The exit code; the process must have ended. */
        public int exitCode() { return process.exitValue(); }

        /** Kills the process and its descendants before the deadline (which then no longer counts), bounded wait. */
        public void kill() {
            cancelled.set(true);
            ProcessRunner.kill(process);
        }
    }

    /** Splits what it is written into lines (UTF-8; {@code \n}, a preceding {@code \r} dropped). */
    private static final class Lines extends OutputStream {
        private final Consumer<String> each;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(Consumer<String> each) {
            this.each = each;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                emit();
            } else {
                line.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) write(b[i]);
        }

        /** The last line, when the output did not end with a newline. */
        void finish() {
            if (line.size() > 0) emit();
        }

        private void emit() {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            each.accept(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
        }
    }
}
