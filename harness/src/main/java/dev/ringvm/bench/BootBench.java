package dev.ringvm.bench;

import dev.ringvm.guest.GuestImage;
import dev.ringvm.model.GuestRun;
import dev.ringvm.run.ResultsLog;
import dev.ringvm.vm.Accel;
import dev.ringvm.vm.KernelCmdline;
import dev.ringvm.vm.Vm;
import dev.ringvm.vm.VmExit;
import dev.ringvm.vm.VmSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Timed boots of one kernel: the floor (a busybox initramfs whose init prints {@code uname -r} and powers off,
 * the least any guest costs) and the real guest image running the whole default grid. Each boot gets its own
 * directory under {@code dir} with its console and results files, kept for inspection.
 */
public final class BootBench {
    /** The floor's /init: what the reference boot does (uname -r, power off), plus its uptime. */
    static final String FLOOR_INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            /bin/busybox uname -r
            read -r up _ </proc/uptime
            /bin/busybox echo "ringvm-floor: ${up}s"
            /bin/busybox poweroff -f
            """;

    private final String qemu;
    private final dev.ringvm.config.Arch arch;
    private final int pageKiB;
    private final Path kernel;
    private final int memoryMiB;
    private final Accel accel;
    private final Path dir;
    private final Path floorImage;
    private final Duration timeout;
    private int seq;

    public BootBench(String qemu, Path kernel, int memoryMiB, Accel accel, Path dir, Duration timeout) throws IOException {
        this(qemu, dev.ringvm.config.Arch.X86_64, 4, GuestImage.DEFAULT_BUSYBOX, kernel, memoryMiB, accel, dir, timeout);
    }

    /**
     * Boots of a kernel of {@code arch} with {@code pageKiB} pages; the floor's busybox is {@code busybox} (one of that
     * architecture: {@link GuestImage#busyboxFor}).
     */
    public BootBench(String qemu, dev.ringvm.config.Arch arch, int pageKiB, Path busybox, Path kernel, int memoryMiB,
                     Accel accel, Path dir, Duration timeout) throws IOException {
        this.qemu = qemu;
        this.arch = arch;
        this.pageKiB = pageKiB;
        this.kernel = kernel;
        this.memoryMiB = memoryMiB;
        this.accel = accel;
        this.dir = dir;
        this.timeout = timeout;
        Files.createDirectories(dir);
        this.floorImage = dir.resolve("floor.cpio.gz");
        GuestImage.writeBusyboxImage(busybox, FLOOR_INIT, floorImage);
    }

    public BootSample floor() throws IOException, InterruptedException {
        Path out = next("floor");
        double wall = boot(floorImage, out, List.of());
        return BootSample.floor(wall, console(out));
    }

    /** The records of the last {@link #probe} boot. */
    private GuestRun last;

    /** A whole grid in the given guest image; fails unless every record arrived. */
    public BootSample probe(Path guestImage, String grid) throws IOException, InterruptedException {
        Path out = next("probe-" + grid);
        String nonce = "bench" + seq;
        double wall = boot(guestImage, out, KernelCmdline.probe(nonce, grid, null, List.of()));
        GuestRun guest = ResultsLog.read(out.resolve("results.log"), nonce);
        if (!guest.complete()) {
            throw new IOException(out + ": the probe's records are incomplete (" + guest.cases().size()
                    + " results); see " + out.resolve("console.log"));
        }
        last = guest;
        return BootSample.probe(wall, console(out), guest);
    }

    /**
     * What the last probe boot's cases cost, by family (the rings by layout and backing; edges; the aliased region;
     * the other structures by family name) and the dearest cases.
     */
    public List<String> caseCosts(int top) {
        if (last == null) return List.of();
        java.util.Map<String, long[]> byFamily = new java.util.TreeMap<>();
        for (var r : last.cases()) {
            // the rings by layout and backing, the memory a kernel must refuse as edges, the other families by name
            String family = r.spec().edge() != null && r.spec().edge().refused() ? "edge"
                    : r.spec().family() != dev.ringvm.probe.protocol.Family.RINGS ? r.spec().family().id()
                    : r.spec().edge() != null ? "aliased"
                    : r.spec().layout().id() + "/" + r.spec().backing().id();
            long[] a = byFamily.computeIfAbsent(family, k -> new long[3]);
            a[0]++;
            a[1] += r.micros();
            a[2] += r.completions() == null ? 0 : r.completions();
        }
        List<String> out = new java.util.ArrayList<>();
        byFamily.forEach((f, a) -> out.add(String.format(java.util.Locale.ROOT, "%-22s %3d cases %8.2f s %9d completions",
                f, a[0], a[1] / 1e6, a[2])));
        last.cases().stream().sorted(java.util.Comparator.comparingLong(r -> -r.micros())).limit(top)
                .forEach(r -> out.add(String.format(java.util.Locale.ROOT, "%-40s %8.3f s %9s completions",
                        r.spec().id(), r.micros() / 1e6, r.completions())));
        return out;
    }

    private Path next(String what) throws IOException {
        Path out = dir.resolve(String.format("%02d-%s", ++seq, what));
        Files.createDirectories(out);
        return out;
    }

    private double boot(Path initrd, Path out, List<String> extras) throws IOException, InterruptedException {
        VmSpec spec = VmSpec.of(kernel, initrd, out.resolve("console.log"), out.resolve("results.log"))
                .withGuest(arch, pageKiB).withQemu(qemu).withMemoryMiB(memoryMiB).withAccel(accel).withTimeout(timeout)
                .withCmdlineExtras(extras);
        long t0 = System.nanoTime();
        VmExit exit;
        try (Vm vm = Vm.start(spec)) {
            exit = vm.await();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (!(exit instanceof VmExit.PoweredOff)) {
            throw new IOException(out + ": the VM did not power off: " + exit);
        }
        return s;
    }

    private static String console(Path out) throws IOException {
        Path c = out.resolve("console.log");
        return Files.exists(c) ? Files.readString(c, StandardCharsets.ISO_8859_1) : "";
    }
}
