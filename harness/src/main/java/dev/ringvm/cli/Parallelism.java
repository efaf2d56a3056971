package dev.ringvm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Default --jobs: one VM per host core (a TCG vCPU keeps one core busy), and never more VMs than the host's
 * available memory holds at the smallest guest size plus QEMU's own overhead. The sum over the VMs running at
 * once is enforced while the matrix runs ({@link dev.ringvm.run.MatrixRun#memoryBudget}), so a 2 GiB guest waits
 * for memory that two 512 MiB guests would have fitted in.
 */
final class Parallelism {
    /** QEMU process overhead on top of guest RAM (TCG translation cache, device model), measured ~200 MiB. */
    static final long QEMU_OVERHEAD_MIB = 256;

    private Parallelism() {}

    static int choose(List<Integer> memoryMiB, Consumer<String> log) {
        int cores = Runtime.getRuntime().availableProcessors();
        long availableMiB = availableMemoryMiB();
        int n = choose(cores, availableMiB, memoryMiB);
        log.accept("jobs " + n + ": " + cores + " cores (one TCG vCPU keeps a core busy), "
                + (availableMiB < 0 ? "available memory unknown" : availableMiB + " MiB available")
                + "; each VM needs its guest (" + memoryMiB.stream().distinct().sorted().map(m -> m + " MiB")
                .collect(java.util.stream.Collectors.joining(" or ")) + ") + " + QEMU_OVERHEAD_MIB
                + " MiB for QEMU, and VMs start only while their sum fits");
        return n;
    }

    static int choose(int cores, long availableMiB, List<Integer> memoryMiB) {
        long perVm = Collections.min(memoryMiB) + QEMU_OVERHEAD_MIB;
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
