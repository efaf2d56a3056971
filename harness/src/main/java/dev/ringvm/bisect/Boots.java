package dev.ringvm.bisect;

import dev.ringvm.guest.GuestImage;
import dev.ringvm.guest.ProbeJar;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.report.RunDirectory;
import dev.ringvm.run.MatrixRun;
import dev.ringvm.run.QemuVmRunner;
import dev.ringvm.run.VmRunner;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.vm.AccelChoice;
import dev.ringvm.vm.AccelDetector;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Boots one kernel as {@code ringvm run} would (every memory size x repeat, the chosen cases only) into a run
 * directory of its own, with every report, and judges it. The guest image and the accelerator are chosen once, at
 * the first kernel, and kept for the whole bisect.
 */
public final class Boots {
    /** What a bisect step boots: its memory sizes, repeats, cases, limits. */
    public record Settings(List<Integer> memoryMiB, int repeat, String only, String grid, Duration timeout,
                           int jobs, AccelDetector.Mode accel, String qemu) {
        public Settings {
            memoryMiB = List.copyOf(memoryMiB);
        }
    }

    /** A judged kernel: its cells and answer, the VMs booted and their wall time. */
    public record Judged(Map<String, String> cells, Answer answer, String reason, int boots, Duration bootTime) {}

    /** Boots and judges; the seam tests replace. */
    @FunctionalInterface
    public interface Judging {
        Judged judge(ResolvedKernel kernel, Path dir) throws IOException, InterruptedException;
    }

    private final Path cacheRoot;
    private final Settings settings;
    private final Consumer<String> log;
    private VmRunner runner;
    private dev.ringvm.config.Arch arch;
    private String accelName;
    private String accelReason;

    public Boots(Path cacheRoot, Settings settings, Consumer<String> log) {
        this.cacheRoot = cacheRoot;
        this.settings = settings;
        this.log = log;
    }

    public Settings settings() {
        return settings;
    }

    public Judged judge(ResolvedKernel kernel, Path dir) throws IOException, InterruptedException {
        VmRunner r = runner(kernel);
        List<VmJob> jobs = new ArrayList<>();
        for (int mem : settings.memoryMiB()) {
            for (int i = 0; i < settings.repeat(); i++) jobs.add(new VmJob(kernel, mem, i, null));
        }
        String nonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        RunSummary s = new MatrixRun(jobs, List.of(), r, settings.jobs(), dir, nonce, accelName, accelReason, log,
                RunDirectory::write, Clock.systemUTC()).execute();
        Judgement j = dev.ringvm.verdict.Judge.standard(s);
        Cells.Decision d = Cells.decide(j);
        Duration wall = s.vms().stream().map(VmResult::wall).reduce(Duration.ZERO, Duration::plus);
        return new Judged(Cells.of(j), d.answer(), d.reason(), s.vms().size(), wall);
    }

    /**
     * The runner of the first kernel judged; every kernel of one bisection has its architecture (one tree, or one
     * kernels file's entries), and a kernel of another one is refused.
     */
    private VmRunner runner(ResolvedKernel first) throws IOException, InterruptedException {
        if (runner != null) {
            if (first.arch() != arch) {
                throw new IOException(first.id() + " is an " + first.arch().id() + " kernel; this bisection boots "
                        + arch.id() + " kernels");
            }
            return runner;
        }
        arch = first.arch();
        // arm64 guests boot with qemu-system-aarch64 (under TCG on an x86-64 host); --qemu names the x86-64 binary
        String qemu = arch == dev.ringvm.config.Arch.X86_64 ? settings.qemu() : arch.qemu();
        GuestImage image = GuestImage.builder(cacheRoot, ProbeJar.locate(cacheRoot)).arch(arch).events(log).build();
        log.accept("guest image " + image.path() + (image.cached() ? " (cached)" : " (built)"));
        AccelChoice choice = AccelDetector.forHost(cacheRoot, qemu).choose(settings.accel(), arch, first.image(), log);
        log.accept("accel " + choice.accel().name().toLowerCase(java.util.Locale.ROOT) + ": " + choice.reason());
        accelName = choice.accel().name().toLowerCase(java.util.Locale.ROOT);
        accelReason = choice.reason();
        runner = new QemuVmRunner(qemu, image.path(), choice.accel(), settings.timeout(), settings.grid(),
                settings.only());
        return runner;
    }
}
