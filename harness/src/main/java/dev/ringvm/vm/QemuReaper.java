package dev.ringvm.vm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every QEMU this JVM started and that is still running, with ONE shutdown hook that kills them all, so
 * Ctrl-C or any JVM exit leaves no orphan QEMU.
 */
final class QemuReaper {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

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

    static int size() {
        return RUNNING.size();
    }

    static void killAll() {
        for (Process p : RUNNING) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
