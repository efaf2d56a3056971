package dev.ringvm.run;

import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.testing.Poll;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * A fake runner whose VMs run until the test lets them finish ({@link #finish}), so the test can see which VMs a
 * scheduler runs at the same time. {@link #awaitSettled()} waits until the scheduler cannot start anything more on
 * its own: every worker thread of MatrixRun's pool ({@code vm-N}) is parked, inside a VM or waiting for a memory
 * permit or a job. Records the most VMs and the most guest memory ever running at once.
 */
final class GatedRunner implements VmRunner {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Pattern WORKER = Pattern.compile("vm-\\d+");

    private final ToLongFunction<VmJob> memoryMiB;
    private final BiFunction<VmJob, Path, VmResult> result;
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Set<String> running = new TreeSet<>();
    private long inUseMiB;
    private long peakMiB;
    private int peakVms;

    GatedRunner(ToLongFunction<VmJob> memoryMiB, BiFunction<VmJob, Path, VmResult> result) {
        this.memoryMiB = memoryMiB;
        this.result = result;
    }

    @Override
    public VmResult run(VmJob job, Path dir, String nonce) throws InterruptedException {
        enter(job);
        try {
            if (!gate(job.name()).await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(job.name() + " was not let finish within " + LIMIT.toSeconds() + " s");
            }
        } finally {
            leave(job);
        }
        return result.apply(job, dir);
    }

    private synchronized void enter(VmJob job) {
        running.add(job.name());
        inUseMiB += memoryMiB.applyAsLong(job);
        peakMiB = Math.max(peakMiB, inUseMiB);
        peakVms = Math.max(peakVms, running.size());
    }

    private synchronized void leave(VmJob job) {
        running.remove(job.name());
        inUseMiB -= memoryMiB.applyAsLong(job);
    }

    private CountDownLatch gate(String vm) {
        return gates.computeIfAbsent(vm, k -> new CountDownLatch(1));
    }

    /** Lets these VMs finish. */
    void finish(Iterable<String> vms) {
        vms.forEach(vm -> gate(vm).countDown());
    }

    /** VMs inside {@link #run} and not yet let go (a released VM's thread may not have woken up yet). */
    synchronized Set<String> running() {
        Set<String> out = new TreeSet<>(running);
        out.removeIf(vm -> gate(vm).getCount() == 0);
        return Set.copyOf(out);
    }

    synchronized long peakMiB() {
        return peakMiB;
    }

    synchronized int peakVms() {
        return peakVms;
    }

    /**
     * The VMs running once the scheduler has settled: every pool worker parked, twice in a row with the same VMs
     * running (thread states are read one thread at a time).
     */
    Set<String> awaitSettled() throws InterruptedException {
        Object[] last = {null};
        Poll.until(LIMIT, () -> {
            if (!workersParked()) {
                last[0] = null;
                return false;
            }
            Set<String> now = running();
            // nothing running yet is not settled: the pool may not have started its workers
            boolean same = !now.isEmpty() && now.equals(last[0]);
            last[0] = now;
            return same;
        }, () -> "the scheduler did not settle; running " + running());
        return running();
    }

    private static boolean workersParked() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!WORKER.matcher(t.getName()).matches() || !t.isAlive()) continue;
            Thread.State s = t.getState();
            if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING && s != Thread.State.TERMINATED) return false;
        }
        return true;
    }
}
