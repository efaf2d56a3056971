package dev.ringvm.vm;

import dev.ringvm.host.Tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.Watchdog;
import org.apache.commons.io.file.PathUtils;

/**
 * A running QEMU. {@link #await()} gives how it ended; {@link #close()} (idempotent) kills it if it still
 * runs and removes its per-run temporary directory. Every QEMU is also known to {@link QemuReaper}.
 * {@link #startCommand} runs a tool that starts QEMU itself (virtme-ng's {@code vng}) under the same rules:
 * the timeout and close() kill its whole process tree, and the processes it detached are found by the
 * run directory they name.
 */
public final class Vm implements AutoCloseable {
    /** After the watchdog fires, QEMU gets this long to die from SIGTERM before await() kills it hard. */
    static final Duration KILL_GRACE = Duration.ofSeconds(10);
    static final int OUTPUT_TAIL_BYTES = 64 * 1024;
    /** Starting a process takes milliseconds; this only bounds a wedged fork. */
    static final Duration LAUNCH_DEADLINE = Duration.ofSeconds(30);

    private final VmSpec spec;
    private final Duration timeout;
    private final List<String> argv;
    private final Process process;
    private final long startNanos;
    private final ExecuteWatchdog watchdog;
    private final DefaultExecuteResultHandler result;
    private final TailBuffer output;
    private final Path runDir;
    private final Consumer<VmEvent> events;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile VmExit exit;

    private Vm(VmSpec spec, Duration timeout, List<String> argv, Process process, long startNanos,
            ExecuteWatchdog watchdog, DefaultExecuteResultHandler result, TailBuffer output, Path runDir,
            Consumer<VmEvent> events) {
        this.spec = spec;
        this.timeout = timeout;
        this.argv = argv;
        this.process = process;
        this.startNanos = startNanos;
        this.watchdog = watchdog;
        this.result = result;
        this.output = output;
        this.runDir = runDir;
        this.events = events;
    }

    public static Vm start(VmSpec spec) throws IOException {
        return start(spec, e -> {});
    }

    /**
     * Launches QEMU for {@code spec} (argv from {@link QemuArgs}, no shell) with a watchdog at
     * {@code spec.timeout()}. Throws {@link QemuNotFoundException} when the binary is missing.
     */
    public static Vm start(VmSpec spec, Consumer<VmEvent> events) throws IOException {
        Objects.requireNonNull(events, "events");
        Path qemu = resolveQemu(spec.qemu());
        for (Path f : List.of(spec.kernel(), spec.initramfs())) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("not a file: " + f);
            }
        }
        Path runDir = Files.createTempDirectory("ringvm-vm-");
        // QEMU runs in runDir: a relative log path (--out runs/...) would be opened there
        VmSpec absolute = new VmSpec(qemu.toString(), absolute(spec.kernel()), absolute(spec.initramfs()),
                spec.memoryMiB(), spec.cpus(), spec.accel(), spec.cmdlineExtras(), absolute(spec.consoleLog()),
                absolute(spec.resultsLog()), spec.timeout());
        List<String> argv = QemuArgs.build(absolute, runDir.resolve("qemu.pid"));
        return launch(spec, argv, spec.timeout(), runDir, Map.of(), OutputStream.nullOutputStream(), events);
    }

    /**
     * Launches {@code argv} (no shell), a tool that starts QEMU itself, with the same watchdog, reaper and
     * tree kill as a QEMU. Its stdout and stderr both go, whole, to {@code output} (through pipes: QEMU
     * reopens /proc/self/fd/1 and 2, which truncates a regular file); {@link #qemuOutput()} keeps the tail.
     * {@code runDir} (created by the caller, its working directory) is deleted by {@link #close()}, which
     * first kills every process whose command line names it: what the tool detached from its tree (vng's
     * virtiofsd has its socket there when TMPDIR points at it).
     *
     * @param env added to ringvm's own environment
     */
    public static Vm startCommand(List<String> argv, Duration timeout, Path runDir, Map<String, String> env,
            OutputStream output, Consumer<VmEvent> events) throws IOException {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(events, "events");
        if (!Files.isDirectory(runDir)) throw new IOException("not a directory: " + runDir);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive: " + timeout);
        return launch(null, List.copyOf(argv), timeout, runDir, env, output, events);
    }

    private static Vm launch(VmSpec spec, List<String> argv, Duration timeout, Path runDir, Map<String, String> env,
            OutputStream copy, Consumer<VmEvent> events) throws IOException {
        CommandLine cl = new CommandLine(argv.getFirst());
        argv.subList(1, argv.size()).forEach(a -> cl.addArgument(a, false));

        TailBuffer output = new TailBuffer(OUTPUT_TAIL_BYTES);
        OutputStream both = new Both(output, copy);
        ExecuteWatchdog watchdog = new TreeWatchdog(timeout);
        AtomicReference<Process> launched = new AtomicReference<>();
        CompletableFuture<Process> started = new CompletableFuture<>();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setExecuteStreamHandler(new PumpStreamHandler(both, both))
                .setWorkingDirectory(runDir)
                .get();
        executor.setWatchdog(watchdog);
        executor.setExitValues(null); // every exit code is an outcome we classify, not an exception
        executor.setProcessDestroyer(new ProcessDestroyer() {
            @Override
            public boolean add(Process p) {
                launched.set(p);
                QemuReaper.register(p);
                started.complete(p);
                return true;
            }

            @Override
            public boolean remove(Process p) {
                QemuReaper.unregister(p);
                return true;
            }

            @Override
            public int size() {
                return launched.get() == null ? 0 : 1;
            }
        });
        DefaultExecuteResultHandler handler = new DefaultExecuteResultHandler() {
            @Override
            public void onProcessComplete(int exitValue) {
                super.onProcessComplete(exitValue);
                started.complete(null);
            }

            @Override
            public void onProcessFailed(org.apache.commons.exec.ExecuteException e) {
                super.onProcessFailed(e);
                started.complete(null);
            }
        };
        if (spec == null) QemuReaper.registerMarker(marker(runDir));
        long t0 = System.nanoTime();
        try {
            if (env.isEmpty()) {
                executor.execute(cl, handler);
            } else {
                Map<String, String> all = new HashMap<>(System.getenv());
                all.putAll(env);
                executor.execute(cl, all, handler);
            }
        } catch (IOException e) {
            QemuReaper.unregisterMarker(marker(runDir));
            PathUtils.deleteDirectory(runDir);
            throw e;
        }
        // execute() launches on its own thread: wait (bounded) until the destroyer sees the process or it failed
        Process p;
        try {
            p = started.get(LAUNCH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p = launched.get();
        } catch (ExecutionException | TimeoutException e) {
            p = launched.get();
        }
        if (p == null) {
            Process late = launched.get();
            if (late != null) {
                late.destroyForcibly();
                QemuReaper.unregister(late);
            }
            QemuReaper.unregisterMarker(marker(runDir));
            PathUtils.deleteDirectory(runDir);
            throw new IOException((spec == null ? argv.getFirst() : "QEMU") + " did not start: " + handler.getException());
        }
        Vm vm = new Vm(spec, timeout, argv, p, t0, watchdog, handler, output, runDir, events);
        events.accept(new VmEvent.Started(p.pid(), argv));
        return vm;
    }

    private static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** The run directory with a trailing slash, so /tmp/x-1 does not match /tmp/x-12's processes. */
    static String marker(Path runDir) {
        return runDir.toAbsolutePath() + "/";
    }

    /**
     * On timeout kills the process's descendants (hard: a wrapper's QEMU must not outlive it) before the usual
     * SIGTERM to the process itself; a plain QEMU has no descendants, so for it this is Commons Exec's watchdog.
     */
    private static final class TreeWatchdog extends ExecuteWatchdog {
        private volatile Process process;

        @SuppressWarnings("deprecation") // the builder cannot make a subclass; this constructor is the same watchdog
        TreeWatchdog(Duration timeout) {
            super(timeout.toMillis());
        }

        @Override
        public synchronized void start(Process p) {
            process = p;
            super.start(p);
        }

        @Override
        public synchronized void timeoutOccured(Watchdog w) {
            Process p = process;
            if (p != null && p.isAlive()) p.descendants().forEach(ProcessHandle::destroyForcibly);
            super.timeoutOccured(w);
        }
    }

    /** stdout and stderr pumps write here from two threads: one lock keeps their chunks whole. */
    private static final class Both extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Both(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }

    /** Blocks until QEMU has ended (at most the spec's timeout plus a kill grace period). */
    public VmExit await() throws InterruptedException {
        VmExit e = exit;
        if (e != null) {
            return e;
        }
        Duration limit = timeout.plus(KILL_GRACE);
        result.waitFor(limit);
        if (!result.hasResult()) {
            // the watchdog's SIGTERM did not end it: kill hard, then wait (bounded) for the handler
            killTree();
            result.waitFor(KILL_GRACE);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        synchronized (this) {
            if (exit == null) {
                exit = classify(watchdog.killedProcess() || !result.hasResult(),
                        result.hasResult() ? result.getExitValue() : -1, timeout, elapsed, output.text());
                events.accept(new VmEvent.Exited(exit));
            }
            return exit;
        }
    }

    /** Pure: the outcome from how QEMU ended (also how the container runner reads its container's exit). */
    public static VmExit classify(boolean killedByWatchdog, int exitCode, Duration limit, Duration elapsed, String output) {
        if (killedByWatchdog) {
            return new VmExit.TimedOut(limit);
        }
        if (exitCode == 0) {
            return new VmExit.PoweredOff(elapsed);
        }
        return new VmExit.QemuFailed(exitCode, tail(output, 20));
    }

    static String tail(String text, int lines) {
        List<String> all = text.strip().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The QEMU spec; null for {@link #startCommand}. */
    public VmSpec spec() {
        return spec;
    }

    public List<String> argv() {
        return argv;
    }

    /** The last lines QEMU itself printed (not the guest's serial output). */
    public String qemuOutput() {
        return output.text();
    }

    /** Idempotent: kills QEMU if still running, waits (bounded) for it, removes the run directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (process.isAlive()) {
            watchdog.stop();
            killTree();
            try {
                process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        QemuReaper.unregister(process);
        if (spec == null) {
            QemuReaper.killMarked(marker(runDir));
            QemuReaper.unregisterMarker(marker(runDir));
        }
        try {
            PathUtils.deleteDirectory(runDir);
        } catch (IOException ignored) {
            // a temp dir left behind is harmless; close() must not fail
        }
    }

    private void killTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** A bare name is searched on PATH; a path must exist and be executable. */
    static Path resolveQemu(String qemu) throws QemuNotFoundException {
        return resolveOnPath(qemu, System.getenv("PATH")).orElseThrow(() -> new QemuNotFoundException(qemu));
    }

    static java.util.Optional<Path> resolveOnPath(String name, String pathEnv) {
        return Tools.find(name, pathEnv);
    }
}
