package dev.ringvm.vm;

import dev.ringvm.host.ProcessRunner;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every QEMU this JVM started and that is still running, with ONE shutdown hook that kills them all, so
 * Ctrl-C or any JVM exit leaves no orphan QEMU. Markers (a per-run directory of {@link Vm#startCommand})
 * name processes a wrapper detached from its tree: any process whose command line contains one is killed too.
 */
final class QemuReaper {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Set<String> MARKERS = ConcurrentHashMap.newKeySet();
    static final java.time.Duration MARKED_EXIT_WAIT = java.time.Duration.ofSeconds(5);

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ringvm-qemu-reaper").unstarted(QemuReaper::killAll));
    }

    private QemuReaper() {}

    static void register(Process p) {
        RUNNING.add(p);
    }

    static void unregister(Process p) {
        RUNNING.remove(p);
    }

    static void registerMarker(String marker) {
        MARKERS.add(marker);
    }

    static void unregisterMarker(String marker) {
        MARKERS.remove(marker);
    }

    /**
     * Kills (hard) every process of this user whose command line contains {@code marker}: a private, per-run
     * path, so nothing else can match. Returns how many.
     */
    static int killMarked(String marker) {
        if (marker == null || marker.length() < 8) return 0; // never a short, ambiguous string
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> marked = ProcessHandle.allProcesses()
                .filter(h -> h.pid() != self)
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
        marked.forEach(ProcessHandle::destroyForcibly);
        // SIGKILL is asynchronous: wait (bounded) until they are gone, so a caller's next step sees them dead
        long deadline = System.nanoTime() + MARKED_EXIT_WAIT.toNanos();
        for (ProcessHandle h : marked) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                break; // not ours to wait for longer; the kill was sent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return marked.size();
    }

    static int size() {
        return RUNNING.size();
    }

    static void killAll() {
        for (Process p : RUNNING) {
            ProcessRunner.killTree(p);
        }
        for (String m : MARKERS) {
            killMarked(m);
        }
    }
}
