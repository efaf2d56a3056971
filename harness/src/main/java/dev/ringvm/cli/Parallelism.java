package dev.ringvm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Default --jobs: one VM per host core (a TCG vCPU keeps one core busy), and never more VMs than the host's
 * available memory holds at the largest guest size plus QEMU's own overhead.
 */
final class Parallelism {
    /** QEMU process overhead on top of guest RAM (TCG translation cache, device model), measured ~200 MiB. */
    static final long QEMU_OVERHEAD_MIB = 256;

    private Parallelism() {}

    static int choose(List<Integer> memoryMiB, Consumer<String> log) {
        int cores = Runtime.getRuntime().availableProcessors();
        long availableMiB = availableMemoryMiB();
        int n = choose(cores, availableMiB, memoryMiB);
        log.accept("jobs " + n + ": " + cores + " cores, " + availableMiB + " MiB available, largest guest "
                + Collections.max(memoryMiB) + " MiB + " + QEMU_OVERHEAD_MIB + " MiB QEMU overhead");
        return n;
    }

    static int choose(int cores, long availableMiB, List<Integer> memoryMiB) {
        long perVm = Collections.max(memoryMiB) + QEMU_OVERHEAD_MIB;
        long byMemory = availableMiB < 0 ? cores : availableMiB / perVm;
        return (int) Math.max(1, Math.min(cores, byMemory));
    }

    static long availableMemoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
