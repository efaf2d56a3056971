package dev.ringvm.run;

import dev.ringvm.model.ConsoleFacts;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.vm.Accel;
import dev.ringvm.vm.ConsoleScanner;
import dev.ringvm.vm.KernelCmdline;
import dev.ringvm.vm.Vm;
import dev.ringvm.vm.VmExit;
import dev.ringvm.vm.VmSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Boots a VM job in QEMU with the guest image and turns the exit plus the results channel into a VmResult. */
public final class QemuVmRunner implements VmRunner {
    /** Boots a spec and says how QEMU ended: on this host by default, elsewhere for other runners (a container). */
    @FunctionalInterface
    public interface Boot {
        VmExit boot(VmJob job, VmSpec spec, Path vmDir) throws InterruptedException;
    }

    private final Boot boot;
    private final Path initramfs;
    private final Accel accel;
    private final Duration timeout;
    private final String grid;
    private final String only;

    /** QEMU on this host, the binary {@code qemu}. */
    public QemuVmRunner(String qemu, Path initramfs, Accel accel, Duration timeout, String grid, String only) {
        this((job, spec, vmDir) -> bootHere(spec.withQemu(qemu)), initramfs, accel, timeout, grid, only);
    }

    public QemuVmRunner(Boot boot, Path initramfs, Accel accel, Duration timeout, String grid, String only) {
        this.boot = boot;
        this.initramfs = initramfs;
        this.accel = accel;
        this.timeout = timeout;
        this.grid = grid;
        this.only = only;
    }

    private static VmExit bootHere(VmSpec spec) throws InterruptedException {
        try (Vm vm = Vm.start(spec)) {
            return vm.await();
        } catch (IOException e) {
            return new VmExit.QemuFailed(-1, e.getMessage());
        }
    }

    @Override
    public VmResult run(VmJob job, Path vmDir, String nonce) throws InterruptedException {
        Path console = vmDir.resolve("console.log");
        Path results = vmDir.resolve("results.log");
        VmSpec spec = spec(job, initramfs, accel, timeout, grid, only, nonce, console, results);
        long t0 = System.nanoTime();
        VmExit exit = boot.boot(job, spec, vmDir);
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        GuestRun guest = ResultsLog.read(results, nonce);
        return classify(job, exit, guest, wall, accel.name().toLowerCase(), console, results);
    }

    /**
     * The VM of one job, as every runner boots it: the job's kernel and memory, the guest image, the probe's
     * command line (nonce, grid, case filter), console and results files. Runners change only where paths point.
     */
    public static VmSpec spec(VmJob job, Path initramfs, Accel accel, Duration timeout, String grid, String only,
                              String nonce, Path console, Path results) {
        List<String> extras = new ArrayList<>(KernelCmdline.probe(nonce, grid, only, List.of()));
        if (job.memlockKiB() != null) extras.addAll(KernelCmdline.unprivileged(job.memlockKiB()));
        return VmSpec.of(job.kernel().image(), initramfs, console, results)
                .withGuest(job.kernel().arch(), job.kernel().pageKiB() == 0 ? 4 : job.kernel().pageKiB())
                .withMemoryMiB(job.memoryMiB()).withAccel(accel).withTimeout(timeout).withCmdlineExtras(extras);
    }

    /**
     * The VM's status from how QEMU ended and whether the record set is complete; shared by every runner, so the
     * same QEMU exit reads the same everywhere. Pure; unit tested.
     */
    public static VmResult classify(VmJob job, VmExit exit, GuestRun guest, Duration wall, String accel, Path console,
                             Path results) {
        String during = guest.interruptedCase().map(c -> " during case " + c).orElse("");
        ConsoleFacts facts = ConsoleScanner.facts(console);
        return switch (exit) {
            case VmExit.PoweredOff p when guest.complete() ->
                    new VmResult(job, VmResult.Status.COMPLETE, "", guest, wall, accel, console, results, facts);
            case VmExit.PoweredOff p -> new VmResult(job, VmResult.Status.INCOMPLETE,
                    incompleteReason(guest) + during + consoleHint(console), guest, wall, accel, console, results, facts);
            case VmExit.TimedOut t -> new VmResult(job, VmResult.Status.TIMEOUT,
                    "killed after the " + t.limit().toSeconds() + " s timeout" + during
                            + (guest.header() == null ? " (the probe never started)" : ""),
                    guest, wall, accel, console, results, facts);
            case VmExit.QemuFailed f -> new VmResult(job, VmResult.Status.QEMU_FAILED,
                    "qemu exited " + f.exitCode() + ": " + oneLine(f.stderrTail()), guest, wall, accel, console, results,
                    facts);
        };
    }

    private static String incompleteReason(GuestRun guest) {
        if (guest.header() == null) return "powered off without a probe header (probe did not start)";
        if (guest.end() == null) return "powered off without the probe's end record (" + guest.cases().size()
                + " results)";
        return "end record counts " + guest.end().count() + " cases but " + guest.cases().size()
                + " results arrived";
    }

    /** The last console line that says why: the init script's probe exit line or a kernel panic. */
    private static String consoleHint(Path console) {
        try {
            if (!Files.exists(console)) return "";
            List<String> lines = Files.readAllLines(console, java.nio.charset.StandardCharsets.ISO_8859_1);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i);
                if (l.contains("Kernel panic") || l.contains("ringvm:")) return "; console: " + l.strip();
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    private static String oneLine(String s) {
        if (s == null || s.isBlank()) return "(no output)";
        String[] lines = s.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }
}
