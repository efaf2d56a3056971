package dev.ringvm.kernel.build;

import dev.ringvm.host.ProcessRunner;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one build step from an argv list, appending its merged stdout/stderr to the build log as it comes (a
 * multi-minute make never sits in memory) while counting compiled files and keeping the last lines for the
 * failure message. Every wait has a deadline: a step past it is killed with its children.
 */
final class StepRunner {

    /** How a step ended. {@code tail} holds the last output lines, {@code lastError} the last error-looking one. */
    record Outcome(int exitCode, boolean timedOut, List<String> tail, String lastError, int compiled) {
        boolean ok() { return exitCode == 0 && !timedOut; }

        /** The line that says why: the last error line, else the last output line. */
        String why() {
            if (lastError != null) return lastError.strip();
            return tail.isEmpty() ? "no output" : tail.getLast().strip();
        }
    }

    private static final int TAIL = 40;

    private final Path log;
    private final Map<String, String> env;
    private final Duration progressEvery;

    StepRunner(Path log, Map<String, String> env, Duration progressEvery) {
        this.log = log;
        this.env = Map.copyOf(env);
        this.progressEvery = progressEvery;
    }

    /**
     * @param progress called every {@code progressEvery} while the step runs, with elapsed seconds and the
     *                 number of {@code CC} lines so far
     */
    Outcome run(List<String> argv, Path dir, Duration timeout, ProgressSink progress)
            throws IOException, InterruptedException {
        appendLog("$ (cd " + dir + " && " + String.join(" ", argv) + ")");
        AtomicInteger compiled = new AtomicInteger();
        AtomicReference<String> lastError = new AtomicReference<>();
        AtomicInteger errorRank = new AtomicInteger();
        Deque<String> tail = new ArrayDeque<>();
        long t0 = System.nanoTime();
        ProcessRunner.Running p;
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            p = ProcessRunner.startLines(argv, dir, e -> {
                e.clear();
                e.putAll(env);
            }, line -> {
                try {
                    out.write(line);
                    out.newLine();
                    out.flush(); // the log is readable while make runs
                } catch (IOException e) {
                    lastError.compareAndSet(null, "writing the log: " + e.getMessage());
                }
                if (BuildSteps.isCompileLine(line)) compiled.incrementAndGet();
                int rank = BuildSteps.errorRank(line);
                if (rank > 0 && rank >= errorRank.get()) {
                    errorRank.set(rank);
                    lastError.set(line);
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL) tail.removeFirst();
                }
            }, timeout);
            try {
                while (!p.waitFor(progressEvery)) {
                    progress.report(Duration.ofNanos(System.nanoTime() - t0).toSeconds(), compiled.get());
                }
            } catch (InterruptedException e) {
                p.kill();
                throw e;
            }
        }
        boolean timedOut = p.timedOut();
        int code = timedOut ? -1 : p.exitCode();
        List<String> lines;
        synchronized (tail) {
            lines = List.copyOf(tail);
        }
        appendLog("# exit " + code + (timedOut ? " (killed at the " + timeout.toSeconds() + " s deadline)" : "")
                + " after " + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s");
        return new Outcome(code, timedOut, lines, lastError.get(), compiled.get());
    }

    void appendLog(String line) throws IOException {
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Progress callback: seconds since the step started, C files compiled so far. */
    @FunctionalInterface
    interface ProgressSink {
        ProgressSink NONE = (s, n) -> {};

        void report(long seconds, int compiled);
    }

    static Consumer<String> quiet() {
        return s -> {};
    }
}
