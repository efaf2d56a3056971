package dev.ringvm.run;

import dev.ringvm.model.GuestRun;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.host.Tools;
import dev.ringvm.vm.Accel;
import dev.ringvm.vm.KernelCmdline;
import dev.ringvm.vm.Vm;
import dev.ringvm.vm.VmExit;
import dev.ringvm.vm.VmSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.commons.io.file.PathUtils;

/**
 * {@code --runner vng}: boots the kernel with virtme-ng ({@code vng --run KERNEL}) over a copy-on-write view of
 * the host's root filesystem and runs the probe jar with the host's JDK inside it, so no guest image is built.
 * The protocol is the QEMU runner's: the records go to the guest's ttyS1, a second serial port that vng's
 * {@code --qemu-opts} adds after its own console (ttyS0), captured by QEMU to {@code results.log}; vng's
 * output (the kernel console with {@code --verbose}, and the guest script's stdout and stderr) goes to
 * {@code console.log}. The process tree is run by {@link Vm#startCommand} (watchdog, tree kill, reaper) and
 * the result is judged by {@link QemuVmRunner#classify}.
 *
 * <p>vng (1.35) builds a shell command line from its options, so the kernel and results paths handed to it
 * are symlinks in a private directory with a plain name; the script given to {@code --exec} is quoted by vng
 * itself and run by the guest's shell.
 */
public final class VngVmRunner implements VmRunner {
    /** The one-line reason given where vng is absent, by {@code ringvm run --runner vng} and by the tests. */
    public static final String NOT_INSTALLED = "virtme-ng is not installed (no vng on PATH): it is not packaged"
            + " for Debian bookworm (trixie has 1.35); install it and virtiofsd to use --runner vng";

    /** The JVM options the guest image's /init gives the probe (vm-images/init), then native access. */
    static final List<String> JVM_OPTIONS = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xss512k", "-Xmx96m", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED");

    /** The guest script prints this line just before the probe; vng exiting non-zero after it is the guest's doing. */
    static final String PROBE_STARTING = "ringvm: probe starting";

    /** What vng may be given in a path: it splices --run and --qemu-opts into a shell string unquoted. */
    private static final Pattern SHELL_PLAIN = Pattern.compile("[A-Za-z0-9._/+@%=:-]+");

    private final Path vng;
    private final Path java;
    private final Path probeJar;
    private final Accel accel;
    private final Duration timeout;
    private final String grid;
    private final String only;
    private final String qemu;
    private final Path cacheRoot;

    /**
     * @param vng      the vng executable ({@link #locate()})
     * @param java     the host's java (visible in the guest: vng shares the host's root filesystem)
     * @param qemu     QEMU binary for vng's {@code --qemu}, or null for vng's own choice
     * @param cacheRoot where packaged kernels are laid out with their modules ({@link VngKernelTree}), or null
     */
    public VngVmRunner(Path vng, Path java, Path probeJar, Accel accel, Duration timeout, String grid, String only,
                       String qemu, Path cacheRoot) {
        this.cacheRoot = cacheRoot;
        this.vng = vng;
        this.java = java;
        this.probeJar = probeJar.toAbsolutePath();
        this.accel = accel;
        this.timeout = timeout;
        this.grid = grid;
        this.only = only;
        this.qemu = qemu;
    }

    /** vng on PATH, if virtme-ng is installed. */
    public static Optional<Path> locate() {
        return Tools.find("vng");
    }

    /** Pure form for tests. */
    static Optional<Path> locate(String pathEnv) {
        return Tools.find("vng", pathEnv);
    }

    /**
     * vng's argv; pure, unit-tested. {@code kernel} and {@code results} must be plain paths (see the class
     * comment): the runner passes symlinks in its private directory.
     */
    List<String> argv(Path kernel, int memoryMiB, Path results, String nonce) {
        plain("kernel path", kernel.toString());
        plain("results path", results.toString());
        List<String> a = new ArrayList<>(List.of(vng.toString(), "--run", kernel.toString(), "--verbose",
                "--memory", memoryMiB + "M", "--cpus", "1"));
        if (accel == Accel.TCG) a.add("--disable-kvm");
        if (qemu != null) a.addAll(List.of("--qemu", plain("QEMU binary", qemu)));
        a.addAll(List.of("--append", String.join(" ", appendTokens(memoryMiB))));
        // '=' form: argparse takes a separate value that starts with '-' for an option
        a.add("--qemu-opts=" + String.join(" ", resultsSerial(results)));
        a.addAll(List.of("--exec", guestScript(nonce)));
        return List.copyOf(a);
    }

    /**
     * The guest image's kernel command line without what vng sets itself (console=ttyS0, panic=-1): huge
     * pages reserved at boot, THP on madvise, and loglevel=5 after vng's "debug", so warnings reach the console.
     */
    static List<String> appendTokens(int memoryMiB) {
        return KernelCmdline.base(memoryMiB).stream()
                .filter(t -> !t.startsWith("console=") && !t.startsWith("panic="))
                .toList();
    }

    /**
     * The results channel: a file chardev on a second ISA serial port. vng puts its own console on the first
     * {@code -serial} and appends --qemu-opts after it, so in the guest this port is ttyS1.
     */
    static List<String> resultsSerial(Path results) {
        return List.of("-chardev", "file,id=ringvm-results,path=" + results, "-serial", "chardev:ringvm-results");
    }

    /** The shell script vng runs in the guest (as root): the guest image's /init steps, with the host's JDK. */
    String guestScript(String nonce) {
        List<String> probe = new ArrayList<>();
        probe.add(quote(java.toString()));
        probe.addAll(JVM_OPTIONS);
        probe.addAll(List.of("-jar", quote(probeJar.toString()), "--out", "/dev/ttyS1", "--nonce", quote(nonce),
                "--grid", quote(grid)));
        if (only != null && !only.isEmpty()) probe.addAll(List.of("--only", quote(only)));
        return String.join("\n",
                "stty -F /dev/ttyS1 raw -echo 2>/dev/null || echo 'ringvm: stty on /dev/ttyS1 failed'",
                "ulimit -l unlimited 2>/dev/null || echo 'ringvm: ulimit -l unlimited failed'",
                "echo \"" + PROBE_STARTING + " at $(cut -d' ' -f1 /proc/uptime)s kernel $(uname -r)\"",
                String.join(" ", probe),
                "rc=$?",
                "echo \"ringvm: probe exited rc=$rc at $(cut -d' ' -f1 /proc/uptime)s\"",
                "exit $rc");
    }

    @Override
    public VmResult run(VmJob job, Path vmDir, String nonce) throws InterruptedException {
        Path console = vmDir.resolve("console.log");
        Path results = vmDir.resolve("results.log");
        long t0 = System.nanoTime();
        VmExit exit;
        try {
            Files.deleteIfExists(results);
            exit = boot(job, console, results, nonce);
        } catch (IOException | IllegalArgumentException e) {
            exit = new VmExit.QemuFailed(-1, "cannot run " + vng + ": " + e.getMessage());
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        exit = guestExit(exit, probeStarted(console), wall);
        GuestRun guest = ResultsLog.read(results, nonce);
        VmResult v = QemuVmRunner.classify(job, exit, guest, wall, accel.name().toLowerCase(), console, results);
        if (v.status() == VmResult.Status.QEMU_FAILED) {
            return new VmResult(job, v.status(), v.detail().replaceFirst("^qemu exited", "vng exited"), guest, wall,
                    v.accel(), console, results, v.console());
        }
        return v;
    }

    private VmExit boot(VmJob job, Path console, Path results, String nonce) throws IOException, InterruptedException {
        // vng's temporary files (virtiofsd socket, return code) go to this directory through TMPDIR, so the
        // virtiofsd it detaches is named by it and Vm.close() finds it
        Optional<Path> tree = cacheRoot == null ? Optional.empty() : VngKernelTree.root(cacheRoot, job.kernel());
        Path runDir = dev.ringvm.host.TempDirs.create("ringvm-vng-");
        List<String> argv;
        try {
            Path kernelLink;
            if (tree.isPresent()) {
                // vng finds lib/modules above the image it is given: hand it the image inside a link to the tree
                Path treeLink = Files.createSymbolicLink(runDir.resolve("kernel"), tree.get().toAbsolutePath());
                kernelLink = treeLink.resolve("boot").resolve(VngKernelTree.image(tree.get()).orElseThrow().getFileName());
            } else {
                // a link to its directory, not to the file: vng reads the version with file(1), which reports a link
                Path image = job.kernel().image().toAbsolutePath();
                kernelLink = Files.createSymbolicLink(runDir.resolve("image"), image.getParent()).resolve(image.getFileName());
            }
            Path resultsLink = Files.createSymbolicLink(runDir.resolve("results.log"), results.toAbsolutePath());
            argv = argv(kernelLink, job.memoryMiB(), resultsLink, nonce);
        } catch (IOException | RuntimeException e) {
            PathUtils.deleteDirectory(runDir);
            throw e;
        }
        // Vm owns runDir from here: close() kills what names it and deletes it
        try (OutputStream out = Files.newOutputStream(console);
             Vm vm = Vm.startCommand(argv, timeout, runDir, Map.of("TMPDIR", runDir.toString()), out, e -> {})) {
            return vm.await();
        }
    }

    /**
     * vng exits with the guest script's code, 255 when the guest ended without one (a panic), 1 when it failed
     * itself. Once the script has started the probe, the guest ran: that is a power-off, judged by the records
     * and the console; before it, a non-zero exit is vng's failure.
     */
    static VmExit guestExit(VmExit exit, boolean probeStarted, Duration wall) {
        return switch (exit) {
            case VmExit.QemuFailed f when probeStarted -> new VmExit.PoweredOff(wall);
            default -> exit;
        };
    }

    static boolean probeStarted(Path console) {
        try {
            if (!Files.exists(console)) return false;
            return Files.readAllLines(console, StandardCharsets.ISO_8859_1).stream()
                    .anyMatch(l -> l.startsWith(PROBE_STARTING));
        } catch (IOException e) {
            return false;
        }
    }

    private static String plain(String what, String value) {
        if (!SHELL_PLAIN.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " has characters vng would pass to a shell unquoted: " + value);
        }
        return value;
    }

    /** POSIX shell single quotes. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The default QEMU binary is left to vng; any other is passed with --qemu. */
    public static String qemuOption(String qemu) {
        return VmSpec.DEFAULT_QEMU.equals(qemu) ? null : qemu;
    }
}
