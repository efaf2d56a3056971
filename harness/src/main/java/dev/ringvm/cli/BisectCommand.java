package dev.ringvm.cli;

import dev.ringvm.bisect.BisectReport;
import dev.ringvm.bisect.BisectState;
import dev.ringvm.bisect.Boots;
import dev.ringvm.bisect.GitBisection;
import dev.ringvm.bisect.KernelsBisection;
import dev.ringvm.config.ConfigException;
import dev.ringvm.config.ConfigLoader;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.MatrixConfig;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.Tools;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.kernel.build.DebianSourceBuilder;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.probe.protocol.GridNames;
import dev.ringvm.vm.AccelDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bisect", mixinStandardHelpOptions = true,
        description = "Find the commit (git bisect run over --tree) or the prebuilt kernel (--kernels) that changed the"
                + " verdicts of the chosen cases.")
final class BisectCommand implements Callable<Integer> {
    static final String GUEST_FRAGMENT = "vm-images/kernel-config/ringvm-guest.config";

    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions sources;

    @Mixin
    VmOptions vm;

    @Option(names = "--tree", paramLabel = "PATH", description = "A kernel git tree to bisect (left untouched: the bisect runs in a shared clone).")
    Path tree;

    @Option(names = "--good", paramLabel = "REF", description = "A commit where the chosen cases are as expected (with --fix: the fixed descendant).")
    String good;

    @Option(names = "--bad", paramLabel = "REF", description = "A commit where they are not (with --fix: the broken ancestor).")
    String bad;

    @Option(names = "--fix", description = "Find the first fixed commit after --bad instead of the first bad one after --good (a fix to backport).")
    boolean fix;

    @Option(names = "--config", paramLabel = "BASE", defaultValue = "tinyconfig",
            description = "Base config: tinyconfig, defconfig or a config file (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--fragments", paramLabel = "FILES", split = ",",
            description = "Config fragments, in order (default: ringvm's " + GUEST_FRAGMENT + ").")
    List<Path> fragments;

    @Option(names = "--patches", paramLabel = "FILES", split = ",", description = "Patches applied to every step, in order (-p1).")
    List<Path> patches;

    @Option(names = "--only", paramLabel = "REGEX", description = "Probe and judge only the case ids matching REGEX (default: every case).")
    String only;

    @Option(names = "--memory", paramLabel = "SIZES", description = "Guest memory sizes (default: 512M with --tree, the file's with --kernels).")
    String memory;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Boots per memory size; a step whose repeats disagree (FLAKY) is skipped (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--timeout", paramLabel = "DUR", converter = Durations.class, defaultValue = "300s",
            description = "Per-VM limit (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--out", paramLabel = "DIR", description = "Bisect directory (default: runs/bisect-<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the bisect of DIR from its bisect.json (its options are used; steps it recorded are not run again).")
    Path resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        RunCommand.Log log = new RunCommand.Log(spec.commandLine().getErr());
        BisectState state;
        Path dir;
        if (resume != null) {
            if (tree != null || good != null || bad != null || sources.kernels != null || fix) {
                throw new ConfigException("--resume: takes its tree, refs and kernels from " + resume + "/bisect.json; give no --tree, --good, --bad, --fix or --kernels");
            }
            dir = resume;
            state = BisectState.read(dir);
            log.line("resuming " + dir + ": " + state.steps().size() + " step(s) recorded");
        } else {
            dir = out != null ? out : Path.of("runs", "bisect-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            if (Files.isRegularFile(dir.resolve("bisect.json"))) {
                throw new ConfigException("--out: " + dir + " holds a bisect already; continue it with --resume " + dir);
            }
            state = newState();
        }
        BisectState.Options o = state.options();
        RunCommand.checkOnly(o.only());
        RunCommand.requireTools(o.qemu());
        Path cacheRoot = CacheDirs.root(sources.cache);
        int jobs = Math.max(1, Math.min(o.memoryMiB().size() * o.repeat(), Parallelism.choose(o.memoryMiB(), log::line)));
        Boots boots = new Boots(cacheRoot, new Boots.Settings(o.memoryMiB(), o.repeat(), o.only(), o.grid(),
                Duration.ofSeconds(o.timeoutSeconds()), jobs, AccelDetector.Mode.valueOf(o.accel()), o.qemu()), log::line);
        BisectReport report;
        if (state.git() != null) {
            if (Tools.find("git").isEmpty()) throw new InfraException("git not found on PATH (install git)");
            BisectState.GitRequest g = state.git();
            DebianSourceBuilder builder = new DebianSourceBuilder(cacheRoot, new AptRepo(cacheRoot, log::line));
            KernelResolver resolver = new KernelResolver(cacheRoot, dir.resolve("kernels.lock"), builder,
                    sources.mainlineBaseUri(), log::line);
            GitBisection.Builder build = GitBisection.kernelBuilder(builder, resolver, g.config(),
                    g.fragments().stream().map(Path::of).toList(), g.patches().stream().map(Path::of).toList());
            report = new GitBisection(dir, state, build, boots::judge, log::line).run();
        } else {
            MatrixConfig matrix = ConfigLoader.load(Path.of(state.kernels().file()));
            KernelResolver resolver = sources.resolver(cacheRoot, matrix.file(), log::line);
            List<ResolvedKernel> ready = new ArrayList<>();
            for (KernelEntry k : matrix.kernels()) {
                if (k.source() instanceof dev.ringvm.config.KernelSource.HostSource) {
                    throw new ConfigException(matrix.file() + ": kernel " + k.id() + ": a host kernel cannot be bisected (no image)");
                }
                try {
                    ready.add(resolver.resolve(k));
                } catch (KernelUnavailableException e) {
                    throw new InfraException("kernel " + k.id() + " unavailable: " + e.getMessage(), e);
                }
            }
            List<dev.ringvm.config.Arch> arches = matrix.kernels().stream().map(KernelEntry::arch).distinct().toList();
            if (arches.size() > 1) {
                throw new ConfigException(matrix.file() + ": a bisection boots kernels of one architecture, this file has "
                        + arches.stream().map(dev.ringvm.config.Arch::id).toList());
            }
            try {
                // --accel kvm for guests of another architecture is refused here, before anything boots
                AccelDetector.foreign(arches.getFirst(), System.getProperty("os.arch", ""), AccelDetector.Mode.valueOf(o.accel()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            report = new KernelsBisection(dir, state, boots::judge, log::line).run(KernelsBisection.inVersionOrder(ready));
        }
        stdout.print(report.render());
        stdout.flush();
        log.line("bisect directory " + dir);
        return report.exitCode().code();
    }

    private BisectState newState() throws Exception {
        if (repeat < 1) throw new ConfigException("--repeat: must be at least 1, got " + repeat);
        RunCommand.checkOnly(only);
        BisectState.Options options;
        if (tree != null) {
            if (sources.kernels != null) throw new ConfigException("--tree and --kernels: give one of them");
            if (good == null || bad == null) throw new ConfigException("--tree: needs --good REF and --bad REF");
            if (!Files.isDirectory(tree)) throw new ConfigException("--tree: " + tree + " is not a directory");
            if (Tools.find("git").isEmpty()) throw new InfraException("git not found on PATH (install git)");
            List<Integer> mem = ConfigLoader.parseMemoryList(memory != null ? memory : "512M");
            options = options(mem);
            Path abs = tree.toAbsolutePath().normalize();
            String goodSha = commit(abs, "--good", good);
            String badSha = commit(abs, "--bad", bad);
            // git bisect wants the old term's commit to be an ancestor of the new term's
            String ancestor = fix ? badSha : goodSha;
            String descendant = fix ? goodSha : badSha;
            if (!isAncestor(abs, ancestor, descendant)) {
                throw new ConfigException((fix ? "--bad " + bad + " (broken) must be an ancestor of --good " + good + " (fixed) with --fix"
                        : "--good " + good + " must be an ancestor of --bad " + bad + " (for the other direction use --fix)"));
            }
            List<Path> frags = fragments != null ? fragments : List.of(defaultFragment());
            for (Path f : frags) if (!Files.isRegularFile(f)) throw new ConfigException("--fragments: " + f + " is not a file");
            List<Path> pts = patches != null ? patches : List.of();
            for (Path p : pts) if (!Files.isRegularFile(p)) throw new ConfigException("--patches: " + p + " is not a file");
            String base = config;
            if (!List.of("tinyconfig", "defconfig", "defaultconfig", "allnoconfig").contains(base.toLowerCase(Locale.ROOT))) {
                if (!Files.isRegularFile(Path.of(base))) throw new ConfigException("--config: " + base + " is neither a named base (tinyconfig, defconfig) nor a file");
                base = Path.of(base).toAbsolutePath().toString();
            }
            return BisectState.start(new BisectState.GitRequest(abs.toString(), good, bad, goodSha, badSha, fix, base,
                    frags.stream().map(p -> p.toAbsolutePath().toString()).toList(),
                    pts.stream().map(p -> p.toAbsolutePath().toString()).toList()), null, options);
        }
        if (sources.kernels == null) throw new ConfigException("bisect: give --tree PATH --good REF --bad REF, or --kernels FILE, or --resume DIR");
        if (good != null || bad != null || fix) throw new ConfigException("--kernels: --good, --bad and --fix are for --tree");
        MatrixConfig matrix = ConfigLoader.load(sources.kernels);
        options = options(memory != null ? ConfigLoader.parseMemoryList(memory) : matrix.memoryMiB());
        return BisectState.start(null, new BisectState.KernelsRequest(sources.kernels.toAbsolutePath().toString()), options);
    }

    private BisectState.Options options(List<Integer> mem) {
        return new BisectState.Options(mem, repeat, only, GridNames.DEFAULT, timeout.toSeconds(), vm.accel.name(), vm.qemu);
    }

    /** ringvm's guest fragment: next to the ringvm installation ($RINGVM_HOME), else under the current directory. */
    static Path defaultFragment() throws ConfigException {
        String home = System.getenv("RINGVM_HOME");
        for (Path p : home != null ? List.of(Path.of(home, GUEST_FRAGMENT), Path.of(GUEST_FRAGMENT)) : List.of(Path.of(GUEST_FRAGMENT))) {
            if (Files.isRegularFile(p)) return p.toAbsolutePath();
        }
        throw new ConfigException("--fragments: ringvm's " + GUEST_FRAGMENT + " not found (set RINGVM_HOME or give --fragments)");
    }

    private static String commit(Path tree, String option, String ref) throws Exception {
        dev.ringvm.host.ProcessRunner.Result r = dev.ringvm.host.ProcessRunner.run(List.of("git", "-C", tree.toString(),
                "rev-parse", "--verify", "--quiet", ref + "^{commit}"), Duration.ofMinutes(1));
        if (!r.ok() || r.stdout().isBlank()) throw new ConfigException(option + ": \"" + ref + "\" is not a commit in " + tree);
        return r.stdout().strip();
    }

    private static boolean isAncestor(Path tree, String a, String d) throws Exception {
        return dev.ringvm.host.ProcessRunner.run(List.of("git", "-C", tree.toString(), "merge-base", "--is-ancestor", a, d),
                Duration.ofMinutes(5)).exitCode() == 0;
    }
}
