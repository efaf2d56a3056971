package dev.ringvm.cli;

import dev.ringvm.probe.protocol.GridNames;
import dev.ringvm.model.ExitCode;
import dev.ringvm.bench.BootBench;
import dev.ringvm.bench.BootSample;
import dev.ringvm.bench.Stats;
import dev.ringvm.config.ConfigException;
import dev.ringvm.config.ConfigLoader;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.MatrixConfig;
import dev.ringvm.guest.GuestImage;
import dev.ringvm.guest.ProbeJar;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.vm.AccelChoice;
import dev.ringvm.vm.AccelDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code ringvm bench}: the numbers docs/PERFORMANCE.md quotes, measured in one sitting. Boots alternate
 * between the floor and the probe so that load on the host hits both alike.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure: busybox-only boot vs one VM running the whole grid (ratio), guest image build "
                + "cold and warm, warm-cache preparation, and the matrix with --jobs 1 vs --jobs 2.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions sources;

    @Option(names = "--kernel", paramLabel = "ID", defaultValue = "debian-6.12",
            description = "Kernel id from the matrix file for the boot comparison (default: ${DEFAULT-VALUE}).")
    String kernelId;

    @Option(names = {"-n", "--repeat"}, paramLabel = "N", defaultValue = "5",
            description = "Repetitions of each boot and each image build (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "512M",
            description = "Guest memory for the boot comparison (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--matrix-runs", paramLabel = "M", defaultValue = "1",
            description = "Runs of the whole matrix with --jobs 1 and with --jobs 2 each; 0 skips (default: ${DEFAULT-VALUE}).")
    int matrixRuns;

    @Mixin
    VmOptions vm;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where boots and matrix runs keep their files (default: runs/bench-<timestamp>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        RunCommand.Log log = new RunCommand.Log(spec.commandLine().getErr());
        if (n < 1) throw new ConfigException("--repeat: must be at least 1, got " + n);
        if (matrixRuns < 0) throw new ConfigException("--matrix-runs: must be 0 or more, got " + matrixRuns);
        int memMiB = ConfigLoader.parseMemoryList(memory).getFirst();
        AccelDetector.Mode mode = vm.accel;
        MatrixConfig config = ConfigLoader.load(sources.kernelsFile());
        KernelEntry entry = config.kernels().stream().filter(k -> k.id().equals(kernelId)).findFirst()
                .orElseThrow(() -> new ConfigException(config.file() + ": no kernel with id \"" + kernelId
                        + "\" (--kernel)"));
        dev.ringvm.config.Arch arch = entry.arch();
        String qemu = vm.qemuFor(arch);
        Path cacheRoot = CacheDirs.root(sources.cache);
        Path dir = (out != null ? out
                : Path.of("runs", "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))))
                .toAbsolutePath();
        Files.createDirectories(dir);
        RunCommand.requireTools(RunnerKind.QEMU, qemu, arch);

        Report report = new Report(stdout);
        report.line("ringvm bench, " + LocalDateTime.now().withNano(0) + ", files in " + dir);
        for (String m : machine(qemu)) report.line("  " + m);

        KernelResolver resolver = sources.resolver(cacheRoot, config.file(), log::line);
        ResolvedKernel kernel = resolveOrFail(resolver, entry);
        if (kernel.image() == null) throw new ConfigException("--kernel " + kernelId + ": a host kernel has no VM to boot");
        AccelChoice choice = RunCommand.accel(RunnerKind.QEMU, mode, arch, qemu, cacheRoot, kernel, log::line);
        report.line("  accel: " + choice.accel().name().toLowerCase(Locale.ROOT) + " (" + choice.reason() + ")");
        report.line("  kernel: " + kernelId + " " + kernel.release() + " (" + arch.id() + ", " + kernel.pageKiB()
                + " KiB pages), guest memory " + memMiB + " MiB, n=" + n);
        Path probeJar = ProbeJar.locate(cacheRoot);

        // guest image: cold = empty cache (jlink, AOT training, cpio); warm = the same inputs again
        report.section("guest image build");
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path fresh = dir.resolve("image-cache-" + i);
            GuestImage built = GuestImage.builder(fresh, probeJar).arch(arch).build();
            cold.add(seconds(built.buildTime()));
            GuestImage again = GuestImage.builder(fresh, probeJar).arch(arch).build();
            if (!again.cached()) throw new IllegalStateException("second build of the same inputs was not a cache hit");
            warm.add(seconds(again.buildTime()));
            org.apache.commons.io.file.PathUtils.deleteDirectory(fresh);
        }
        report.stats(arch.isHost(System.getProperty("os.arch", "")) ? "cold (jlink + AOT training + cpio)"
                : "cold (" + arch.id() + " packages, relinked java.base, cpio)", cold, 2);
        report.stats("warm (content-hash lookup)", warm, 4);
        GuestImage image = GuestImage.builder(cacheRoot, probeJar).arch(arch).events(log::line).build();
        report.line("  image: " + Files.size(image.path()) / (1024 * 1024) + " MiB uncompressed cpio");

        report.section("warm cache: resolve every kernel of " + config.file() + " + guest image lookup");
        List<Double> prep = new ArrayList<>();
        List<String> fetched = new ArrayList<>();
        int available = 0;
        for (int i = 0; i < n; i++) {
            List<String> events = new ArrayList<>();
            long t0 = System.nanoTime();
            KernelResolver quiet = sources.resolver(cacheRoot, config.file(), events::add);
            available = 0;
            for (KernelEntry k : config.kernels()) {
                try {
                    quiet.resolve(k);
                    available++;
                } catch (KernelUnavailableException e) {
                    // counted: unavailable kernels are part of a real run's preparation too
                }
            }
            GuestImage.builder(cacheRoot, probeJar).arch(arch).build();
            prep.add((System.nanoTime() - t0) / 1e9);
            events.stream().filter(BenchCommand::isNetworkFetch).forEach(fetched::add);
        }
        report.stats(available + " of " + config.kernels().size() + " kernels available, image cached", prep, 3);
        report.line("  downloads during warm preparation: " + fetched.size() + (fetched.isEmpty() ? "" : " " + fetched));

        report.section("boot: busybox-only floor vs the default grid vs ringvm 0.1's v1 grid (" + kernel.release()
                + ", alternating)");
        BootBench boots = new BootBench(qemu, arch, kernel.pageKiB() == 0 ? 4 : kernel.pageKiB(),
                GuestImage.busyboxFor(arch, cacheRoot, dir.resolve("busybox-" + arch.id()), log::line), kernel.image(),
                memMiB, choice.accel(), dir.resolve("boots"), Duration.ofMinutes(10));
        List<BootSample> floor = new ArrayList<>();
        List<BootSample> probe = new ArrayList<>();
        List<BootSample> v1 = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            floor.add(boots.floor());
            v1.add(boots.probe(image.path(), GridNames.V1));
            probe.add(boots.probe(image.path(), GridNames.DEFAULT));
            log.line("boot " + (i + 1) + "/" + n + ": floor " + fmt(floor.getLast().wall()) + " s, v1 grid "
                    + fmt(v1.getLast().wall()) + " s, default grid " + fmt(probe.getLast().wall()) + " s");
        }
        List<String> costs = boots.caseCosts(8);
        Stats f = Stats.of(floor.stream().map(BootSample::wall).toList());
        Stats p = Stats.of(probe.stream().map(BootSample::wall).toList());
        Stats p1 = Stats.of(v1.stream().map(BootSample::wall).toList());
        report.stats("busybox-only boot (uname -r, poweroff)", floor.stream().map(BootSample::wall).toList(), 2);
        report.stats("probe boot, v1 grid (75 cases, every slot)", v1.stream().map(BootSample::wall).toList(), 2);
        report.stats("probe boot, default grid", probe.stream().map(BootSample::wall).toList(), 2);
        report.line(String.format(Locale.ROOT, "  %-40s %.2f", "ratio of medians (v1 / floor)", p1.median() / f.median()));
        report.line(String.format(Locale.ROOT, "  %-40s %.2f", "ratio of medians (default / floor)", p.median() / f.median()));
        report.line("  where a probe boot's time goes (medians; kernel uptime from the init script and the probe records):");
        report.part("QEMU start, firmware, kernel+initrd load, power-off", probe, BootSample::outsideKernel);
        report.part("kernel start to /init", probe, BootSample::toInit);
        report.part("/init to the JVM process", probe, BootSample::initToJvm);
        report.part("JVM start-up to the probe's header", probe, BootSample::jvmStartup);
        report.part("the default grid", probe, BootSample::grid);
        report.part("the v1 grid", v1, BootSample::grid);
        report.part("JVM exit", probe, BootSample::jvmExit);
        report.part("floor: QEMU start, firmware, load, power-off", floor, BootSample::outsideKernel);
        report.part("floor: kernel start to /init", floor, BootSample::toInit);
        report.line("  the default grid's cases, by family (rings by layout/backing), then the dearest (last boot):");
        costs.forEach(c -> report.line("    " + c));

        if (matrixRuns > 0) {
            report.section("matrix " + config.file() + ": --jobs 1 vs --jobs 2 (" + matrixRuns + " run(s) each, alternating)");
            List<Double> one = new ArrayList<>();
            List<Double> two = new ArrayList<>();
            int vms = 0;
            for (int r = 0; r < matrixRuns; r++) {
                for (int jobs : r % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1}) {
                    Path runDir = dir.resolve("matrix-" + r + "-jobs" + jobs);
                    long t0 = System.nanoTime();
                    int exit = runMatrix(config.file(), jobs, runDir);
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (exit != 0) {
                        throw new IOException("matrix run with --jobs " + jobs + " exited " + exit + "; see " + runDir);
                    }
                    vms = countVms(runDir);
                    (jobs == 1 ? one : two).add(s);
                    log.line("matrix run " + (r + 1) + " --jobs " + jobs + ": " + fmt(s) + " s, " + vms + " VMs");
                }
            }
            report.stats("--jobs 1 (" + vms + " VMs)", one, 1);
            report.stats("--jobs 2", two, 1);
            report.line(String.format(Locale.ROOT, "  %-40s %.2fx", "throughput --jobs 2 / --jobs 1 (medians)",
                    Stats.of(one).median() / Stats.of(two).median()));
        }
        return ExitCode.OK.code();
    }

    private ResolvedKernel resolveOrFail(KernelResolver resolver, KernelEntry entry) throws Exception {
        try {
            return resolver.resolve(entry);
        } catch (KernelUnavailableException e) {
            throw new InfraException("--kernel " + entry.id() + ": " + e.getMessage(), e);
        }
    }

    /** A whole `ringvm run` in this process, its messages and matrix to files in the run directory. */
    private int runMatrix(Path kernelsFile, int jobs, Path runDir) throws IOException {
        Files.createDirectories(runDir);
        List<String> args = new ArrayList<>(List.of("run", "--kernels", kernelsFile.toString(), "--jobs",
                Integer.toString(jobs), "--out", runDir.toString(), "--qemu", vm.qemu, "--accel", vm.accel.name().toLowerCase(Locale.ROOT)));
        if (sources.cache != null) args.addAll(List.of("--cache", sources.cache.toString()));
        try (PrintWriter o = new PrintWriter(Files.newBufferedWriter(runDir.resolve("matrix.txt")));
             PrintWriter e = new PrintWriter(Files.newBufferedWriter(runDir.resolve("run.log")))) {
            return Main.newCommandLine(o, e).execute(args.toArray(String[]::new));
        }
    }

    private static int countVms(Path runDir) throws IOException {
        try (var s = Files.list(runDir)) {
            return (int) s.filter(p -> Files.isRegularFile(p.resolve("results.log"))).count();
        }
    }

    /** Log lines of the resolver that mean network traffic (apt list updates, package or image downloads). */
    static boolean isNetworkFetch(String event) {
        return event.contains("downloading") || event.contains("updating package lists") || event.contains("fetching");
    }

    /** Cores, memory, CPU, host kernel, QEMU and JDK: what the numbers depend on. */
    static List<String> machine(String qemu) {
        List<String> m = new ArrayList<>();
        String cpu = "unknown CPU";
        long memKiB = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) memKiB = Long.parseLong(l.replaceAll("\\D", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // best effort: the line says unknown
        }
        m.add("host: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + (memKiB < 0 ? "?" : Long.toString(memKiB / 1024 / 1024)) + " GiB, Linux " + System.getProperty("os.version"));
        String qv;
        try {
            ProcessRunner.Result r = ProcessRunner.run(List.of(qemu, "--version"), Duration.ofSeconds(10));
            qv = r.stdout().lines().findFirst().orElse("?").strip();
        } catch (IOException e) {
            qv = qemu + ": " + e.getMessage();
        }
        m.add("qemu: " + qv + "; harness JDK " + Runtime.version());
        return m;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String fmt(double s) {
        return String.format(Locale.ROOT, "%.2f", s);
    }

    /** The printed report: sections and aligned rows; flushed line by line (a long bench shows progress). */
    static final class Report {
        private final PrintWriter w;

        Report(PrintWriter w) { this.w = w; }

        void line(String s) {
            w.println(s);
            w.flush();
        }

        void section(String title) {
            line("");
            line(title);
        }

        void stats(String label, List<Double> seconds, int decimals) {
            line(String.format(Locale.ROOT, "  %-40s %s", label, Stats.of(seconds).format(decimals)));
        }

        void part(String label, List<BootSample> samples, Function<BootSample, OptionalDouble> f) {
            List<Double> v = samples.stream().map(f).filter(OptionalDouble::isPresent).map(OptionalDouble::getAsDouble).toList();
            line(String.format(Locale.ROOT, "    %-52s %s", label,
                    v.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.2f s", Stats.of(v).median())));
        }
    }
}
