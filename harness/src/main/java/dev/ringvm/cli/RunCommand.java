package dev.ringvm.cli;

import dev.ringvm.model.Shard;
import dev.ringvm.probe.protocol.GridNames;

import dev.ringvm.host.Tools;
import dev.ringvm.host.DirectoryLock;
import dev.ringvm.model.ExitCode;

import com.github.dockerjava.api.DockerClient;
import dev.ringvm.config.Arch;
import dev.ringvm.config.ConfigException;
import dev.ringvm.container.ContainerException;
import dev.ringvm.container.ContainerRecipe;
import dev.ringvm.run.ContainerVmRunner;
import dev.ringvm.container.Docker;
import dev.ringvm.container.QemuImage;
import dev.ringvm.config.ConfigLoader;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.config.MatrixConfig;
import dev.ringvm.guest.GuestImage;
import dev.ringvm.guest.ProbeJar;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.progress.ProgressEvent;
import dev.ringvm.progress.ProgressView;
import dev.ringvm.progress.Stage;
import dev.ringvm.progress.Task;
import dev.ringvm.progress.Terminal;
import dev.ringvm.report.RunDirectory;
import dev.ringvm.report.TerminalMatrix;
import dev.ringvm.run.MatrixRun;
import dev.ringvm.run.HostProbeRunner;
import dev.ringvm.run.QemuVmRunner;
import dev.ringvm.run.RoutingVmRunner;
import dev.ringvm.run.VmRunner;
import dev.ringvm.run.VngVmRunner;
import dev.ringvm.model.RunSummary;
import dev.ringvm.run.Shards;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmJob;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Boot every kernel x memory size of the matrix, run the probe, print the matrix.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions sources;

    @Mixin
    VmOptions vm;

    @Option(names = "--require-all",
            description = "Exit 3 when any kernel is unavailable (default: report it, run the rest, exit 0 for it).")
    boolean requireAll;

    @Option(names = "--memory", paramLabel = "SIZES", description = "Guest memory sizes, e.g. 512M,2G (default: the file's).")
    String memory;

    @Option(names = "--jobs", paramLabel = "N", description = "VMs in parallel (default: what cores and free memory allow).")
    Integer jobs;

    @Option(names = "--timeout", paramLabel = "DUR", converter = Durations.class, defaultValue = "300s",
            description = "Per-VM limit from QEMU start to power-off (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<timestamp>).")
    Path out;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Boot each kernel x memory N times; a case whose outcome differs is FLAKY unless its expectation allows both (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--retry-infra", paramLabel = "N", defaultValue = "0",
            description = "Boot a VM again, up to N times, when it ends INFRA before the probe began a case (no boot, QEMU failure, timeout); a crash or hang during a case is never retried (default: ${DEFAULT-VALUE}).")
    int retryInfra;

    @Option(names = "--only", paramLabel = "REGEX", hidden = true, description = "Probe only the case ids matching REGEX.")
    String only;

    @Option(names = "--grid", paramLabel = "NAME", defaultValue = GridNames.DEFAULT,
            description = "The probe's case list: default (what liburing users send, every slot of every ring), or v1"
                    + " (ringvm 0.1's 75 cases, to compare with runs made before it). Default: ${DEFAULT-VALUE}.")
    String grid;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run only shard I of N: cells sorted by kernel id and memory, dealt round-robin (see README, CI matrix).")
    String shard;

    @Option(names = "--runner", paramLabel = "KIND", defaultValue = "qemu",
            description = "qemu (QEMU on this host with the guest image), container (the same QEMU in a local docker image built with debootstrap; needs docker and debootstrap) or vng (virtme-ng boots the kernel over the host's root filesystem; the probe runs with the host's JDK) (default: ${DEFAULT-VALUE}).")
    RunnerKind runner;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a live view when stderr is a terminal and TERM is not dumb), tty or plain (timestamped lines) (default: ${DEFAULT-VALUE}).")
    Terminal.Choice progressMode;

    @Override
    public Integer call() throws Exception {
        try (ProgressView view = ProgressView.open(Terminal.choose(progressMode), spec.commandLine().getErr())) {
            return call(view);
        }
    }

    private Integer call(ProgressView view) throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Log log = new Log(view);

        AccelDetector.Mode mode = vm.accel;
        String qemu = vm.qemu;
        RunnerKind kind = runner;
        Shard theShard = parseShard(shard);
        boolean vng = kind == RunnerKind.VNG;
        MatrixConfig config = ConfigLoader.load(sources.kernelsFile());
        List<Integer> memories = memory != null ? ConfigLoader.parseMemoryList(memory) : config.memoryMiB();
        if (repeat < 1) throw new ConfigException("--repeat: must be at least 1, got " + repeat);
        checkOnly(only);
        checkGrid(grid);
        if (jobs != null && jobs < 1) throw new ConfigException("--jobs: must be at least 1, got " + jobs);
        if (retryInfra < 0) throw new ConfigException("--retry-infra: must be 0 or more, got " + retryInfra);
        List<String> matrixCells = cells(config, memories);
        String fingerprint = fingerprint(config, memories, repeat);
        java.util.Set<String> mine = new java.util.HashSet<>(
                theShard == null ? matrixCells : Shards.cellsOf(matrixCells, theShard));
        if (theShard != null) log.line("shard " + theShard + ": " + mine.size() + " of " + matrixCells.size() + " cells");
        config = new MatrixConfig(config.file(), config.kernels().stream()
                .filter(k -> cellsOf(k, memories).stream().anyMatch(mine::contains)).toList(), config.memoryMiB());
        Path cacheRoot = CacheDirs.root(sources.cache);
        Path runDir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        // one writer per run directory; held until this JVM exits (the kernel drops it if ringvm is killed)
        DirectoryLock runLock = RunDirs.claim(out != null ? "--out" : "", runDir, "ringvm run");
        try {
            return call(view, log, stdout, config, memories, theShard, mine, matrixCells, fingerprint, kind, mode, qemu,
                    vng, cacheRoot, runDir);
        } finally {
            runLock.close();
        }
    }

    private Integer call(ProgressView view, Log log, PrintWriter stdout, MatrixConfig config, List<Integer> memories,
                         Shard theShard, java.util.Set<String> mine, List<String> matrixCells, String fingerprint,
                         RunnerKind kind, AccelDetector.Mode mode, String qemu, boolean vng, Path cacheRoot,
                         Path runDir) throws Exception {
        boolean anyVm = config.kernels().stream().anyMatch(k -> !(k.source() instanceof KernelSource.HostSource));
        List<Arch> arches = config.kernels().stream().filter(k -> !(k.source() instanceof KernelSource.HostSource))
                .map(KernelEntry::arch).distinct().sorted().toList();
        if (vng && arches.stream().anyMatch(a -> a != Arch.DEFAULT)) {
            throw new ConfigException("--runner vng: boots x86-64 kernels over the host's root filesystem with the"
                    + " host's JDK; " + config.file() + " has " + arches.stream().filter(a -> a != Arch.DEFAULT)
                    .map(Arch::id).toList() + " kernels (use --runner qemu or container)");
        }
        if (anyVm && vng && VngVmRunner.locate().isEmpty()) throw new InfraException(VngVmRunner.NOT_INSTALLED);
        for (Arch a : arches) requireTools(kind, vm.qemuFor(a), a);
        DockerClient docker = null;
        if (anyVm && kind == RunnerKind.CONTAINER) {
            try {
                docker = Docker.client();
                log.line("docker " + Docker.describe(docker));
            } catch (ContainerException e) {
                throw new InfraException(e.getMessage(), e);
            }
        }

        return run(view, log, stdout, config, memories, theShard, mine, matrixCells, fingerprint, kind, mode, qemu,
                vng, docker, cacheRoot, runDir);
    }

    private Integer run(ProgressView view, Log log, PrintWriter stdout, MatrixConfig config, List<Integer> memories,
                        Shard theShard, java.util.Set<String> mine, List<String> matrixCells, String fingerprint,
                        RunnerKind kind, AccelDetector.Mode mode, String qemu, boolean vng, DockerClient docker,
                        Path cacheRoot, Path runDir) throws Exception {
        String nonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        RunSummary.Context baseContext = new RunSummary.Context(theShard, fingerprint, matrixCells, false, List.of(), List.of());
        java.time.Instant startedAt = Clock.systemUTC().instant();
        // run.json says "running" from the start: a directory left by a killed ringvm is recognisable as such
        java.util.function.Function<RunSummary.Context, RunSummary> early = ctx -> new RunSummary(nonce, startedAt,
                Clock.systemUTC().instant(), runDir, "none", "not chosen yet: resolving kernels", 0, List.of(),
                List.of(), requireAll, ctx);
        try {
            RunDirectory.write(early.apply(baseContext.running(true)));
        } catch (IOException e) {
            if (RunDirs.noSpace(e)) throw new InfraException(runDir + ": disk full: " + RunDirs.reason(e), e);
            throw new ConfigException("--out " + runDir + ": cannot write there: " + RunDirs.reason(e));
        }
        java.util.concurrent.atomic.AtomicReference<MatrixRun> matrixRun = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch printed = new java.util.concurrent.CountDownLatch(1);
        // a signal (Ctrl-C, SIGTERM, SIGHUP): the JVM runs shutdown hooks (QemuReaper kills QEMU) and exits
        // 128 + the signal's number by itself; this hook stops the matrix and gives the final reports and the
        // matrix print a bounded time to be written (before the matrix starts: run.json says it stopped)
        Thread onSignal = Thread.ofPlatform().name("ringvm-interrupt").unstarted(() -> {
            if (printed.getCount() == 0) return;
            MatrixRun run = matrixRun.get();
            String why = dev.ringvm.host.Signals.received().map(dev.ringvm.host.Signals.Stop::name).orElse("interrupted");
            log.line("interrupted (" + why + "): stopping, writing what finished to " + runDir);
            if (run == null) {
                RunSummary.Stop stop = dev.ringvm.host.Signals.received()
                        .map(sig -> RunSummary.Stop.signal(sig.name(), sig.exitCode())).orElse(null);
                try {
                    RunDirectory.write(early.apply(baseContext.interrupted(List.of()).stopped(stop)));
                } catch (IOException e) {
                    log.line("warning: could not write " + runDir + ": " + e.getMessage());
                }
                return;
            }
            run.cancel();
            try {
                long deadline = System.nanoTime() + INTERRUPT_GRACE.toNanos();
                if (run.awaitWritten(INTERRUPT_GRACE)) {
                    printed.await(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return run(view, log, stdout, config, memories, theShard, mine, kind, mode, qemu, vng, docker, cacheRoot,
                    runDir, nonce, baseContext, matrixRun);
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running (a signal): it returns now that everything is written
            }
        }
    }

    private Integer run(ProgressView view, Log log, PrintWriter stdout, MatrixConfig config, List<Integer> memories,
                        Shard theShard, java.util.Set<String> mine, RunnerKind kind, AccelDetector.Mode mode,
                        String qemu, boolean vng, DockerClient docker, Path cacheRoot, Path runDir, String nonce,
                        RunSummary.Context baseContext,
                        java.util.concurrent.atomic.AtomicReference<MatrixRun> matrixRun) throws Exception {

        KernelResolver resolver = sources.resolver(cacheRoot, config.file(), log::line);
        List<ResolvedKernel> ready = new ArrayList<>();
        List<UnavailableKernel> unavailable = new ArrayList<>();
        for (KernelEntry k : config.kernels()) {
            Task resolving = Task.kernel(k.id());
            view.progress(new ProgressEvent.StageChanged(resolving,
                    k.source() instanceof KernelSource.BuildSource ? Stage.BUILDING : Stage.RESOLVING, ""));
            try {
                ResolvedKernel r = resolver.resolve(k);
                log.line(k.id() + ": " + r.release() + " (" + KernelsCommand.origin(r) + ")");
                ready.add(r);
            } catch (KernelUnavailableException e) {
                log.line("unavailable: " + e.getMessage());
                unavailable.add(new UnavailableKernel(k.id(), k.source().describe(), e.getMessage(), e.integrity()));
            } finally {
                view.progress(new ProgressEvent.Dropped(resolving));
            }
        }

        List<ResolvedKernel> vmKernels = ready.stream().filter(r -> r.image() != null).toList();
        List<VmJob> vmJobs = new ArrayList<>();
        java.util.Map<String, dev.ringvm.config.Expectations> expect = new java.util.HashMap<>();
        for (KernelEntry k : config.kernels()) if (k.expect() != null) expect.put(k.id(), k.expect());
        java.util.Map<String, Integer> memlock = new java.util.HashMap<>();
        for (KernelEntry k : config.kernels()) if (k.memlockKiB() != null) memlock.put(k.id(), k.memlockKiB());
        for (ResolvedKernel k : ready) {
            // a host kernel has one probe run per repeat, whatever the memory list says
            List<Integer> sizes = k.image() == null ? List.of(0) : memories;
            for (int mem : sizes) {
                for (int r = 0; r < repeat; r++) {
                    VmJob job = new VmJob(k, mem, r, expect.get(k.id()), memlock.get(k.id()));
                    if (mine.contains(job.cell())) vmJobs.add(job);
                }
            }
        }
        Path probeJar;
        try {
            probeJar = ProbeJar.locate(cacheRoot);
        } catch (IOException e) {
            throw new InfraException("probe jar: " + e.getMessage(), e);
        }

        VmRunner vmRunner = null;
        java.util.Map<Arch, VmRunner> vmRunners = java.util.Map.of();
        String accelName = "none";
        String accelReason = "no kernel runs in a VM";
        if (!vmKernels.isEmpty() && vng) {
            AccelChoice choice = AccelDetector.forHost(cacheRoot, qemu).choose(mode, vmKernels.getFirst().image(), log::line);
            log.line("accel " + choice.accel().name().toLowerCase() + ": " + choice.reason() + (choice.cached() ? " (remembered for this host)" : ""));
            Path vngBinary = VngVmRunner.locate().orElseThrow(() -> new InfraException(VngVmRunner.NOT_INSTALLED));
            log.line("runner vng: " + vngBinary + " (no guest image: the probe runs with this JDK over the host's root filesystem)");
            vmRunner = new VngVmRunner(vngBinary, Path.of(System.getProperty("java.home"), "bin", "java"), probeJar,
                    choice.accel(), timeout, grid, only, VngVmRunner.qemuOption(qemu), cacheRoot);
            accelName = choice.accel().name().toLowerCase();
            accelReason = choice.reason();
        } else if (!vmKernels.isEmpty()) {
            // one guest image, QEMU binary and accelerator per architecture of the matrix, x86-64 first
            java.util.Map<Arch, VmRunner> byArch = new java.util.EnumMap<>(Arch.class);
            List<String> accels = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            for (Arch arch : vmKernels.stream().map(ResolvedKernel::arch).distinct().sorted().toList()) {
                String archQemu = vm.qemuFor(arch);
                ResolvedKernel first = vmKernels.stream().filter(k -> k.arch() == arch).findFirst().orElseThrow();
                GuestImage image;
                Task imageTask = Task.step(arch == Arch.DEFAULT ? "guest image" : "guest image " + arch.id());
                view.progress(new ProgressEvent.StageChanged(imageTask, Stage.BUILDING, ""));
                try {
                    image = GuestImage.builder(cacheRoot, probeJar).arch(arch).events(log::line).build();
                } catch (IOException e) {
                    throw new InfraException("guest image" + (arch == Arch.DEFAULT ? "" : " " + arch.id()) + ": "
                            + e.getMessage(), e);
                } finally {
                    view.progress(new ProgressEvent.Dropped(imageTask));
                }
                log.line("guest image " + (arch == Arch.DEFAULT ? "" : arch.id() + " ") + image.path()
                        + (image.cached() ? " (cached)" : " (built in " + image.buildTime().toMillis() + " ms)"));
                AccelChoice choice = accel(kind, mode, arch, archQemu, cacheRoot, first, log::line);
                log.line("accel" + (byArch.isEmpty() && arch == Arch.DEFAULT ? "" : " " + arch.id()) + " "
                        + choice.accel().name().toLowerCase() + ": " + choice.reason()
                        + (choice.cached() ? " (remembered for this host)" : ""));
                VmRunner r = switch (kind) {
                    case QEMU -> new QemuVmRunner(archQemu, image.path(), choice.accel(), timeout, grid, only);
                    case CONTAINER -> containerRunner(docker, cacheRoot, image.path(), choice, view, log);
                    case VNG -> throw new IllegalStateException("vng has no guest image"); // handled above
                };
                byArch.put(arch, r);
                accels.add(choice.accel().name().toLowerCase());
                reasons.add((byArch.size() == 1 && arch == Arch.DEFAULT ? "" : arch.id() + ": ") + choice.reason());
            }
            vmRunners = byArch;
            accelName = String.join(",", accels.stream().distinct().toList());
            accelReason = String.join("; ", reasons);
        } else if (!ready.isEmpty()) {
            accelName = "host";
            accelReason = "only host kernels: the probe runs on the running kernel, no VM";
        }

        int parallel = jobs != null ? jobs : Parallelism.choose(memories, log::line);
        if (vmRunner != null) vmRunners = java.util.Map.of(Arch.DEFAULT, vmRunner);
        if (retryInfra > 0) {
            java.util.Map<Arch, VmRunner> retrying = new java.util.EnumMap<>(Arch.class);
            vmRunners.forEach((a, r) -> retrying.put(a, new dev.ringvm.run.RetryingVmRunner(r, retryInfra, log::line)));
            vmRunners = retrying;
        }
        VmRunner runner = new RoutingVmRunner(new HostProbeRunner(probeJar, timeout, grid, only), vmRunners);
        MatrixRun run = new MatrixRun(vmJobs, unavailable, runner, parallel, runDir, nonce,
                accelName, accelReason, log::line, RunDirectory::write, Clock.systemUTC(), requireAll)
                .context(baseContext)
                .progress(view);
        long availableMiB = Parallelism.availableMemoryMiB();
        if (availableMiB > 0) run.memoryBudget(availableMiB, Parallelism.QEMU_OVERHEAD_MIB);
        matrixRun.set(run);
        RunSummary summary = run.execute();
        dev.ringvm.verdict.Judgement judged = RunDirectory.judge(summary);
        view.close(); // the live region goes before the matrix is printed (stdout may be the same terminal)
        stdout.print(TerminalMatrix.render(judged, TerminalMatrix.colourWanted()));
        stdout.flush();
        if (summary.context().interrupted()) {
            log.line("interrupted: " + summary.vms().size() + " of " + summary.planned() + " VMs finished; reports in " + runDir);
        }
        if (summary.nothingTested()) {
            log.line("nothing was tested: no kernel of the matrix" + (theShard == null ? "" : " in shard " + theShard)
                    + " could be booted or probed (exit 3)");
        }
        IOException lost = run.writeFailure();
        if (lost != null) {
            log.line("the reports in " + runDir + " are not up to date (" + RunDirs.reason(lost) + "); the matrix above"
                    + " is what finished");
            // 1 still wins over 3 (README)
            return judged.exitCode() == ExitCode.UNEXPECTED ? ExitCode.UNEXPECTED.code() : ExitCode.INFRA.code();
        }
        return judged.exitCode().code();
    }

    /** How long Ctrl-C waits for the final reports before the JVM exits (130). */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

    /**
     * --only must compile, and reaches the guest on the kernel command line, so only characters that need no
     * quoting there: letters, digits and . _ : / = + @ % * , - (for example {@code sq4$} is refused, {@code sq4/}
     * or {@code hugetlb/sq1.*} work).
     */
    static void checkOnly(String only) throws ConfigException {
        if (only == null) return;
        try {
            java.util.regex.Pattern.compile(only);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ConfigException("--only: bad regular expression \"" + only + "\": " + e.getDescription());
        }
        if (!dev.ringvm.vm.KernelCmdline.isPlainValue(only)) {
            throw new ConfigException("--only: \"" + only + "\" cannot travel on the kernel command line; use only"
                    + " letters, digits and . _ : / = + @ % * , -");
        }
    }

    /** --grid must name one of the probe's grids. */
    static void checkGrid(String grid) throws ConfigException {
        if (!GridNames.ALL.contains(grid)) {
            throw new ConfigException("--grid: unknown grid \"" + (grid.length() > 40 ? grid.substring(0, 40) + "..." : grid) + "\"; expected one of " + GridNames.ALL);
        }
    }

    static Shard parseShard(String value) throws ConfigException {
        if (value == null) return null;
        try {
            return Shard.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--shard: " + e.getMessage());
        }
    }

    /** Every kernel x memory cell of the matrix in report order (a host kernel has one cell). */
    static List<String> cells(MatrixConfig config, List<Integer> memories) {
        List<String> out = new ArrayList<>();
        for (KernelEntry k : config.kernels()) out.addAll(cellsOf(k, memories));
        return out;
    }

    private static List<String> cellsOf(KernelEntry k, List<Integer> memories) {
        if (k.source() instanceof KernelSource.HostSource) return List.of(k.id() + "-host");
        return memories.stream().map(m -> k.id() + "-" + m + "M").toList();
    }

    /** Matrix fingerprint: kernel ids and sources, memory sizes, repeats; equal for every shard of one matrix. */
    static String fingerprint(MatrixConfig config, List<Integer> memories, int repeat) {
        List<String> lines = new ArrayList<>();
        // an arm64 kernel's line names its arch; x86-64 lines are as they were before arm64 (shards of older runs merge)
        for (KernelEntry k : config.kernels()) {
            lines.add(k.id() + " " + k.source().describe() + (k.arch() == Arch.DEFAULT ? "" : " arch " + k.arch().id()));
        }
        lines.add("memory " + memories);
        lines.add("repeat " + repeat);
        return Shards.fingerprint(lines);
    }


    /**
     * The accelerator for the kernels of {@code arch}: TCG for another architecture than the host's (KVM runs only
     * the host's own), else as {@link AccelDetector} decides with a test boot of {@code first}.
     */
    static AccelChoice accel(RunnerKind kind, AccelDetector.Mode mode, Arch arch, String qemu, Path cacheRoot,
                                     ResolvedKernel first, java.util.function.Consumer<String> log)
            throws IOException, InterruptedException, ConfigException {
        boolean foreign = !arch.isHost(System.getProperty("os.arch", ""));
        if (!foreign && kind == RunnerKind.CONTAINER && Tools.find(qemu).isEmpty() && mode == AccelDetector.Mode.AUTO) {
            return new AccelChoice(dev.ringvm.vm.Accel.TCG, "no " + qemu + " on this host to test KVM with: using TCG"
                    + " (--accel kvm passes /dev/kvm into the container)", false);
        }
        try {
            return AccelDetector.forHost(cacheRoot, qemu).choose(mode, arch, first.image(), log);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The QEMU image for {@code --runner container} (built on first use) and the runner that boots in it. */
    private ContainerVmRunner containerRunner(DockerClient docker, Path cacheRoot, Path initramfs, AccelChoice choice,
                                              ProgressView view, Log log) throws InfraException, InterruptedException {
        Task imageTask = Task.step("qemu image");
        view.progress(new ProgressEvent.StageChanged(imageTask, Stage.BUILDING, ""));
        try {
            QemuImage.Result img = QemuImage.ensure(docker, cacheRoot, ContainerRecipe.bundled(), log::line);
            log.line("qemu image " + img.tag() + (img.cached() ? " (cached)"
                    : " (built in " + img.buildTime().toSeconds() + " s)"));
            return new ContainerVmRunner(docker, img.tag(), initramfs, choice.accel(), timeout, grid, only);
        } catch (ContainerException e) {
            throw new InfraException(e.getMessage(), e);
        } finally {
            view.progress(new ProgressEvent.Dropped(imageTask));
        }
    }

    static void requireTools(String qemu) throws InfraException {
        requireTools(RunnerKind.QEMU, qemu);
    }

    private static void requireTools(RunnerKind kind, String qemu) throws InfraException {
        requireTools(kind, qemu, Arch.DEFAULT);
    }

    /** QEMU for guests of {@code arch} (qemu-system-arm has qemu-system-aarch64), and busybox for the x86-64 image. */
    static void requireTools(RunnerKind kind, String qemu, Arch arch) throws InfraException {
        boolean found = kind == RunnerKind.CONTAINER || Tools.find(qemu).isPresent(); // the image brings its own
        if (!found) {
            throw new InfraException(qemu + " not found" + (qemu.contains("/") ? "" : " on PATH")
                    + " (install " + (arch == Arch.ARM64 ? "qemu-system-arm" : "qemu-system-x86") + ")");
        }
        if (arch != Arch.DEFAULT) return; // an arm64 image takes busybox from Debian's arm64 busybox-static package
        if (kind != RunnerKind.VNG && !Files.isExecutable(GuestImage.DEFAULT_BUSYBOX)) { // vng boots no guest image
            throw new InfraException(GuestImage.DEFAULT_BUSYBOX + " not found (install busybox-static)");
        }
    }

    static boolean onPath(String tool) {
        return Tools.onPath(tool);
    }

    /**
     * Timestamped message lines on stderr through the run's one {@link ProgressView} (its lock orders every
     * thread's output; on a TTY the lines go above the live region).
     */
    static final class Log {
        private final ProgressView view;

        Log(PrintWriter err) { this(ProgressView.plain(err, java.time.InstantSource.system())); }

        Log(ProgressView view) { this.view = view; }

        void line(String s) {
            view.log(s);
        }
    }
}
