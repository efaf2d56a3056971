package dev.ringvm.run;

import dev.ringvm.probe.protocol.Result;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.progress.ProgressEvent;
import dev.ringvm.progress.ProgressListener;
import dev.ringvm.progress.Stage;
import dev.ringvm.progress.Task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs the VMs of a matrix, {@code jobs} at a time, and persists each VM's outcome the moment it finishes
 * (reports are re-rendered after every VM), so an interrupted or failing run keeps everything that finished.
 */
public final class MatrixRun {

    /** Receives the run state after every finished VM and at the end; writes the run directory. */
    @FunctionalInterface
    public interface Sink {
        void accept(RunSummary summary) throws IOException;
    }

    private final List<VmJob> jobs;
    private final List<UnavailableKernel> unavailable;
    private final VmRunner runner;
    private final int parallel;
    private final Path outDir;
    private final String nonce;
    private final String accel;
    private final String accelReason;
    private final Consumer<String> log;
    private final Sink sink;
    private final Clock clock;
    private final boolean requireAll;
    private final List<VmResult> finished = new ArrayList<>();
    /** Worker threads currently inside {@code runner.run}, interrupted by {@link #cancel()}. */
    private final java.util.Set<Thread> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean cancelled;
    /** Set when the disk under the run directory filled up: no further VM starts, and the run says where. */
    private volatile RunSummary.Stop diskFull;
    /** The last failure to write the run directory, or null when the last write succeeded. */
    private volatile IOException writeFailure;
    private java.util.function.ToLongFunction<Path> freeSpace = MatrixRun::usableSpace;
    private java.util.concurrent.Semaphore memory;
    private int memoryPermits;
    private long overheadMiB;
    private RunSummary.Context context = RunSummary.Context.NONE;
    /** Stage events; by default the plain stage lines go to {@code log} (booting ..., done in ...). */
    private ProgressListener progress;

    public MatrixRun(List<VmJob> jobs, List<UnavailableKernel> unavailable, VmRunner runner, int parallel,
                     Path outDir, String nonce, String accel, String accelReason, Consumer<String> log, Sink sink,
                     Clock clock) {
        this(jobs, unavailable, runner, parallel, outDir, nonce, accel, accelReason, log, sink, clock, false);
    }

    /** @param requireAll an unavailable kernel makes the run exit 3 ({@code --require-all}) */
    public MatrixRun(List<VmJob> jobs, List<UnavailableKernel> unavailable, VmRunner runner, int parallel,
                     Path outDir, String nonce, String accel, String accelReason, Consumer<String> log, Sink sink,
                     Clock clock, boolean requireAll) {
        this.requireAll = requireAll;
        this.jobs = List.copyOf(jobs);
        this.unavailable = List.copyOf(unavailable);
        this.runner = runner;
        this.parallel = Math.max(1, parallel);
        this.outDir = outDir;
        this.nonce = nonce;
        this.accel = accel;
        this.accelReason = accelReason;
        this.log = log;
        this.sink = sink;
        this.clock = clock;
        this.progress = ProgressListener.lines(log);
    }

    /** Where stage events go instead of {@code log} (a progress view); call before execute. */
    public MatrixRun progress(ProgressListener listener) {
        this.progress = listener;
        return this;
    }

    /** The progress task of a job: its name, kernel id, memory label and repeat. */
    static Task task(VmJob job) {
        return Task.vm(job.name(), job.kernel().id(), job.memoryLabel(), job.repeat());
    }

    /**
     * Admit a VM only while the guest memory of the running VMs, each plus {@code overheadMiB} for QEMU, fits in
     * {@code budgetMiB} (the host's available memory): with mixed guest sizes the parallelism adapts instead of
     * being sized for the largest guest. A VM larger than the whole budget runs alone. Call before execute.
     */
    public MatrixRun memoryBudget(long budgetMiB, long overheadMiB) {
        int permits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetMiB));
        this.memory = new java.util.concurrent.Semaphore(permits, true);
        this.memoryPermits = permits;
        this.overheadMiB = overheadMiB;
        return this;
    }

    /** Permits a job takes from the memory budget: guest RAM plus QEMU overhead; none for host jobs. */
    int memoryPermits(VmJob job) {
        if (memory == null || job.onHost()) return 0;
        return (int) Math.min(memoryPermits, job.memoryMiB() + overheadMiB);
    }

    /** How many bytes are free under a directory (tests put a full disk here); call before execute. */
    public MatrixRun freeSpace(java.util.function.ToLongFunction<Path> bytesFree) {
        this.freeSpace = bytesFree;
        return this;
    }

    /**
     * Below this many free bytes under the run directory, a VM whose records are incomplete is taken to have lost
     * them to the full disk (QEMU drops serial output it cannot write) rather than to its kernel.
     */
    static final long DISK_FULL_BYTES = 1L << 20;

    static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: do not blame the disk
        }
    }

    /** The last failure to write the run directory's files, when the final write failed (null: all written). */
    public IOException writeFailure() {
        return writeFailure;
    }

    /** Shard, matrix fingerprint and cell list recorded with every published summary; call before execute. */
    public MatrixRun context(RunSummary.Context c) {
        this.context = c;
        return this;
    }

    /**
     * Ctrl-C: launch no further VM and interrupt the running ones; a VM that did not complete because of it is
     * reported as "not run: interrupted", not as a failure of its kernel. Idempotent; harmless after the end.
     */
    public void cancel() {
        cancelled = true;
        running.forEach(Thread::interrupt);
    }

    /**
     * Cancelled, or the JVM is already running its shutdown hooks (Ctrl-C): the QEMU reaper's hook may kill a
     * VM before the hook that calls {@link #cancel()} runs, and that VM must not count as a kernel failure.
     */
    private boolean stopping() {
        if (!cancelled && jvmShuttingDown()) cancelled = true;
        return cancelled || diskFull != null;
    }

    static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Waits (bounded) until execute() has written its final summary; true when it has. */
    public boolean awaitWritten(java.time.Duration limit) throws InterruptedException {
        return written.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public RunSummary execute() throws InterruptedException {
        try {
            return executeAll();
        } finally {
            written.countDown();
        }
    }

    private RunSummary executeAll() throws InterruptedException {
        Instant started = clock.instant();
        publish(started, true);
        progress.progress(new ProgressEvent.Planned(jobs.size(), parallel));
        VmFollower follower = new VmFollower(progress, nonce).start();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, Thread.ofPlatform().name("vm-", 0).factory());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (VmJob job : jobs) {
                futures.add(pool.submit(() -> {
                    runOne(job, started, follower);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (cancelled) continue;
                    throw new IllegalStateException("VM worker failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            follower.close();
        }
        return publish(started, false);
    }

    private void runOne(VmJob job, Instant started, VmFollower follower) throws InterruptedException {
        Path vmDir = outDir.resolve(job.name());
        try {
            Files.createDirectories(vmDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (stopping()) return;
        Task task = task(job);
        progress.progress(job.onHost()
                ? new ProgressEvent.StageChanged(task, Stage.STARTING, "on the host kernel " + job.kernel().release())
                : new ProgressEvent.StageChanged(task, Stage.BOOTING,
                        job.kernel().release() + " with " + job.memoryMiB() + " MiB"));
        follower.watch(task, vmDir, job.onHost());
        VmResult r = null;
        int permits = memoryPermits(job);
        boolean admitted = false;
        running.add(Thread.currentThread());
        try {
            if (permits > 0) {
                memory.acquire(permits);
                admitted = true;
            }
            if (stopping()) return;
            r = runner.run(job, vmDir, nonce);
        } catch (InterruptedException e) {
            if (cancelled) return;
            throw e;
        } finally {
            if (admitted) memory.release(permits);
            running.remove(Thread.currentThread());
            Thread.interrupted(); // a cancel() that raced with the end of run() must not leak into publish
            follower.unwatch(task);
            if (r == null) progress.progress(new ProgressEvent.Dropped(task));
        }
        // QEMU killed by Ctrl-C (the reaper or the interrupt): not a result about the kernel
        if (!r.complete() && stopping()) {
            progress.progress(new ProgressEvent.Dropped(task));
            return;
        }
        // records lost to a full disk say nothing about the kernel either; and nothing more can be recorded
        if (!r.complete() && noSpace(vmDir)) {
            progress.progress(new ProgressEvent.Dropped(task));
            log.accept(job.name() + ": not judged: " + diskFull.reason());
            return;
        }
        progress.progress(new ProgressEvent.Finished(task, describe(r)));
        synchronized (finished) {
            finished.add(r);
        }
        publish(started, true);
    }

    /** Whether the file system under {@code dir} is full; the first time, records where and stops the run. */
    private boolean noSpace(Path dir) {
        long free = freeSpace.applyAsLong(dir);
        if (free >= DISK_FULL_BYTES) return diskFull != null;
        diskFullAt(dir, free + " bytes free");
        return true;
    }

    private synchronized void diskFullAt(Path dir, String detail) {
        if (diskFull != null) return;
        diskFull = new RunSummary.Stop("disk full: " + dir.toAbsolutePath().normalize() + " (" + detail
                + "); no further VM was started", dev.ringvm.model.ExitCode.INFRA.code());
        log.accept("stopping: " + diskFull.reason());
    }

    static boolean isNoSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) return true;
        }
        return false;
    }

    static String describe(VmResult r) {
        String cases = r.guest().cases().size() + " cases";
        long ok = r.guest().cases().stream().filter(Result::passed).count();
        String secs = String.format("%.1f s", r.wall().toMillis() / 1000.0)
                + (r.attempts().isEmpty() ? "" : " (boot " + (r.attempts().size() + 1) + ", after "
                + r.attempts().stream().map(a -> a.status().name()).toList() + ")");
        return switch (r.status()) {
            case COMPLETE -> "done in " + secs + ", " + cases + ", " + ok + " passed";
            case INCOMPLETE, TIMEOUT, QEMU_FAILED -> r.status() + " after " + secs + ": " + r.detail()
                    + " (" + cases + " recorded)";
        };
    }

    /** @param going true while the run goes on (run.json says running, the VMs not yet finished are listed) */
    private RunSummary publish(Instant started, boolean going) {
        List<VmResult> snapshot;
        synchronized (finished) {
            snapshot = new ArrayList<>(finished);
        }
        // matrix order, not completion order: reports are stable whatever the scheduling
        snapshot.sort(Comparator.comparingInt(r -> jobs.indexOf(r.job())));
        RunSummary.Context ctx = context.running(going);
        java.util.Set<VmJob> done = new java.util.HashSet<>();
        snapshot.forEach(r -> done.add(r.job()));
        List<String> pending = jobs.stream().filter(j -> !done.contains(j)).map(VmJob::name).toList();
        RunSummary.Stop stop = diskFull;
        if (stop == null && cancelled) {
            stop = dev.ringvm.host.Signals.received()
                    .map(sig -> RunSummary.Stop.signal(sig.name(), sig.exitCode())).orElse(null);
        }
        if (cancelled || diskFull != null) {
            ctx = ctx.interrupted(pending).stopped(stop);
        } else if (going) {
            ctx = new RunSummary.Context(ctx.shard(), ctx.matrix(), ctx.matrixCells(), false, pending,
                    ctx.missingShards(), true, null);
        }
        RunSummary s = new RunSummary(nonce, started, clock.instant(), outDir, accel, accelReason, jobs.size(),
                snapshot, unavailable, requireAll, ctx);
        synchronized (sink) {
            try {
                sink.accept(s);
                writeFailure = null;
            } catch (IOException e) {
                writeFailure = e;
                log.accept("warning: could not write reports to " + outDir + ": " + e.getMessage());
                if (isNoSpace(e) && diskFull == null) {
                    diskFullAt(outDir, "No space left on device while writing reports");
                    s = new RunSummary(nonce, started, clock.instant(), outDir, accel, accelReason, jobs.size(),
                            snapshot, unavailable, requireAll, ctx.interrupted(pending).stopped(diskFull));
                }
            }
        }
        return s;
    }
}
