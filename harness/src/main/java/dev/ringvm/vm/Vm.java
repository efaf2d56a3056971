package dev.ringvm.vm;

import dev.ringvm.host.ProcessRunner;
import dev.ringvm.host.TempDirs;
import dev.ringvm.host.Tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.commons.io.file.PathUtils;
import org.apache.commons.io.output.TeeOutputStream;

/**
 * A running QEMU. {@link #await()} gives how it ended; {@link #close()} (idempotent) kills it if it still
 * runs and removes its per-run temporary directory. Every QEMU is also known to {@link QemuReaper}.
 * {@link #startCommand} runs a tool that starts QEMU itself (virtme-ng's {@code vng}) under the same rules:
 * the timeout and close() kill its whole process tree, and the processes it detached are found by the
 * run directory they name.
 */
public final class Vm implements AutoCloseable {
    /** How long await() waits past the timeout (the deadline kills QEMU then) before it kills QEMU itself. */
    static final Duration KILL_GRACE = Duration.ofSeconds(10);
    static final int OUTPUT_TAIL_BYTES = 64 * 1024;

    private final VmSpec spec;
    private final Duration timeout;
    private final List<String> argv;
    private final ProcessRunner.Running running;
    private final Process process;
    private final long startNanos;
    private final TailBuffer output;
    private final Path runDir;
    private final Consumer<VmEvent> events;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile VmExit exit;

    private Vm(VmSpec spec, Duration timeout, List<String> argv, ProcessRunner.Running running, long startNanos,
            TailBuffer output, Path runDir, Consumer<VmEvent> events) {
        this.spec = spec;
        this.timeout = timeout;
        this.argv = argv;
        this.running = running;
        this.process = running.process();
        this.startNanos = startNanos;
        this.output = output;
        this.runDir = runDir;
        this.events = events;
    }

    public static Vm start(VmSpec spec) throws IOException {
        return start(spec, e -> {});
    }

    /**
     * Launches QEMU for {@code spec} (argv from {@link QemuArgs}, no shell) with a deadline at
     * {@code spec.timeout()} that kills it. Throws {@link QemuNotFoundException} when the binary is missing.
     */
    public static Vm start(VmSpec spec, Consumer<VmEvent> events) throws IOException {
        Objects.requireNonNull(events, "events");
        Path qemu = resolveQemu(spec.qemu());
        for (Path f : List.of(spec.kernel(), spec.initramfs())) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("not a file: " + f);
            }
        }
        Path runDir = TempDirs.create("ringvm-vm-");
        try {
            // QEMU runs in runDir: a relative log path (--out runs/...) would be opened there
            VmSpec absolute = new VmSpec(qemu.toString(), absolute(spec.kernel()), absolute(spec.initramfs()),
                    spec.memoryMiB(), spec.cpus(), spec.accel(), spec.cmdlineExtras(), absolute(spec.consoleLog()),
                    absolute(spec.resultsLog()), spec.timeout(), spec.arch(), spec.pageKiB());
            List<String> argv = QemuArgs.build(absolute, runDir.resolve("qemu.pid"));
            return launch(spec, argv, spec.timeout(), runDir, Map.of(), OutputStream.nullOutputStream(), events);
        } catch (IOException | RuntimeException | Error e) {
            TempDirs.delete(runDir); // launch() deletes it too when QEMU did not start; harmless twice
            throw e;
        }
    }

    /**
     * Launches {@code argv} (no shell), a tool that starts QEMU itself, with the same deadline, reaper and
     * tree kill as a QEMU. Its stdout and stderr both go, whole, to {@code output} (through a pipe: QEMU
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
        TailBuffer output = new TailBuffer(OUTPUT_TAIL_BYTES);
        if (spec == null) QemuReaper.registerMarker(marker(runDir));
        long t0 = System.nanoTime();
        ProcessRunner.Running running;
        try {
            running = ProcessRunner.start(OrphanGuard.wrap(argv), runDir, e -> e.putAll(env),
                    new TeeOutputStream(output, copy), timeout);
        } catch (IOException | RuntimeException e) {
            QemuReaper.unregisterMarker(marker(runDir));
            PathUtils.deleteDirectory(runDir);
            throw new IOException((spec == null ? argv.getFirst() : "QEMU") + " did not start: " + e.getMessage(), e);
        }
        QemuReaper.register(running.process());
        Vm vm = new Vm(spec, timeout, argv, running, t0, output, runDir, events);
        events.accept(new VmEvent.Started(running.process().pid(), argv));
        return vm;
    }

    private static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** The run directory with a trailing slash, so /tmp/x-1 does not match /tmp/x-12's processes. */
    static String marker(Path runDir) {
        return runDir.toAbsolutePath() + "/";
    }

    /** Blocks until QEMU has ended (at most the spec's timeout plus a kill grace period). */
    public VmExit await() throws InterruptedException {
        VmExit e = exit;
        if (e != null) {
            return e;
        }
        // the deadline kills it at the timeout; past that and a grace period it is killed here
        if (!running.waitFor(timeout.plus(KILL_GRACE))) {
            running.kill();
            running.waitFor(KILL_GRACE);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        synchronized (this) {
            if (exit == null) {
                boolean ended = !process.isAlive();
                exit = classify(running.timedOut() || !ended, ended ? running.exitCode() : -1, timeout, elapsed,
                        output.text());
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
            running.kill(); // bounded wait
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

    /** A bare name is searched on PATH; a path must exist and be executable. */
    static Path resolveQemu(String qemu) throws QemuNotFoundException {
        return resolveOnPath(qemu, System.getenv("PATH")).orElseThrow(() -> new QemuNotFoundException(qemu));
    }

    static java.util.Optional<Path> resolveOnPath(String name, String pathEnv) {
        return Tools.find(name, pathEnv);
    }
}
