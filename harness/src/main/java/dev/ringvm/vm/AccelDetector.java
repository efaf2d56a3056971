package dev.ringvm.vm;

import dev.ringvm.guest.GuestImage;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.ProcessRunner;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.io.file.PathUtils;

/**
 * Picks KVM or TCG. {@code auto} trusts KVM only after a short test boot of the real kernel with a
 * busybox-only initramfs prints a marker and powers off in time: a nested, paravirtual /dev/kvm can
 * exist and still fail ordinary kernels ("KVM internal error", MSR assertions, hangs). The answer is
 * remembered per host in {@code <cacheRoot>/accel-<hostname>.json}, keyed by host kernel release and QEMU
 * version, so it is re-checked when either changes.
 */
public final class AccelDetector {
    /** {@code --accel}: auto (KVM when a test boot works, else TCG), or one forced. */
    public enum Mode { AUTO, KVM, TCG }

    static final String MARKER = "RINGVM-ACCEL-OK";
    static final String TEST_INIT = """
            #!/bin/busybox sh
            /bin/busybox echo %s
            /bin/busybox poweroff -f
            """.formatted(MARKER);
    /** The test boot's deadline: a working KVM boots busybox in about a second; the whole decision < 15 s. */
    static final Duration TEST_BOOT_DEADLINE = Duration.ofSeconds(10);

    /** What the cache file holds. */
    record CacheEntry(String hostKernel, String qemuVersion, Accel accel, String reason) {}

    private final Path cacheRoot;
    private final String qemu;
    private final Path kvmDevice;
    private final Path busybox;
    private final String hostname;
    private final String hostKernel;
    private final Duration testDeadline;

    AccelDetector(Path cacheRoot, String qemu, Path kvmDevice, Path busybox, String hostname, String hostKernel,
            Duration testDeadline) {
        this.cacheRoot = cacheRoot;
        this.qemu = qemu;
        this.kvmDevice = kvmDevice;
        this.busybox = busybox;
        this.hostname = hostname;
        this.hostKernel = hostKernel;
        this.testDeadline = testDeadline;
    }

    /** A detector for this host: /dev/kvm, /bin/busybox, hostname and kernel release from /proc. */
    public static AccelDetector forHost(Path cacheRoot, String qemu) {
        return new AccelDetector(cacheRoot, qemu, Path.of("/dev/kvm"), GuestImage.DEFAULT_BUSYBOX,
                readProc("/proc/sys/kernel/hostname", "localhost"), readProc("/proc/sys/kernel/osrelease", "unknown"),
                TEST_BOOT_DEADLINE);
    }

    /**
     * The accelerator for {@code mode}; {@code kernel} is booted once under KVM in auto mode unless the
     * answer is cached. Throws {@link QemuNotFoundException} when QEMU is missing.
     */
    public AccelChoice choose(Mode mode, Path kernel, Consumer<String> events) throws IOException, InterruptedException {
        return switch (mode) {
            case KVM -> new AccelChoice(Accel.KVM, "forced by --accel kvm", false);
            case TCG -> new AccelChoice(Accel.TCG, "forced by --accel tcg", false);
            case AUTO -> auto(kernel, events);
        };
    }

    /**
     * {@link #choose(Mode, Path, Consumer)} for a kernel of {@code arch}: a guest of another architecture than this
     * JVM's runs under TCG without a test boot ({@link #foreign}).
     *
     * @throws IllegalArgumentException when {@code mode} forces KVM for a guest of another architecture
     */
    public AccelChoice choose(Mode mode, dev.ringvm.config.Arch arch, Path kernel, Consumer<String> events)
            throws IOException, InterruptedException {
        Optional<AccelChoice> f = foreign(arch, System.getProperty("os.arch", ""), mode);
        return f.isPresent() ? f.get() : choose(mode, kernel, events);
    }

    private AccelChoice auto(Path kernel, Consumer<String> events) throws IOException, InterruptedException {
        Optional<String> unusable = deviceProblem(kvmDevice);
        if (unusable.isPresent()) {
            return new AccelChoice(Accel.TCG, unusable.get(), false);
        }
        String qemuVersion = qemuVersion();
        Path cacheFile = cacheFile();
        Optional<CacheEntry> hit = readCache(cacheFile, hostKernel, qemuVersion);
        if (hit.isPresent()) {
            return new AccelChoice(hit.get().accel(), hit.get().reason(), true);
        }
        events.accept("testing KVM with a short boot of " + kernel);
        AccelChoice tested = testBoot(kernel);
        writeCache(cacheFile, new CacheEntry(hostKernel, qemuVersion, tested.accel(), tested.reason()));
        return tested;
    }

    /**
     * The accelerator for a guest of {@code guest} on a host of {@code hostArch} ({@code os.arch}) when the guest is
     * not of the host's architecture: TCG, since KVM runs only guests of the host's own architecture (an arm64
     * guest on an x86-64 host). Empty when the architectures match ({@link #choose} decides then).
     *
     * @throws IllegalArgumentException when {@code mode} forces KVM for a foreign guest
     */
    public static Optional<AccelChoice> foreign(dev.ringvm.config.Arch guest, String hostArch, Mode mode) {
        if (guest.isHost(hostArch)) return Optional.empty();
        if (mode == Mode.KVM) {
            throw new IllegalArgumentException("--accel kvm: KVM cannot run " + guest.id() + " guests on this "
                    + hostArch + " host (KVM runs only the host's own architecture); use --accel auto or tcg");
        }
        return Optional.of(new AccelChoice(Accel.TCG, guest.id() + " guests on an " + hostArch + " host: TCG (KVM"
                + " runs only the host's own architecture)" + (mode == Mode.TCG ? "; forced by --accel tcg too" : ""),
                false));
    }

    Path cacheFile() {
        return cacheRoot.resolve("accel-" + hostname.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    /** Why /dev/kvm cannot be used, or empty when it exists and is readable and writable. */
    static Optional<String> deviceProblem(Path device) {
        if (!Files.exists(device)) {
            return Optional.of(device + " does not exist (no KVM on this host): using TCG");
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            return Optional.of(device + " is not readable and writable by this user: using TCG");
        }
        return Optional.empty();
    }

    private AccelChoice testBoot(Path kernel) throws IOException, InterruptedException {
        Path dir = dev.ringvm.host.TempDirs.create("ringvm-accel-");
        try {
            Path initrd = dir.resolve("accel-test.cpio.gz");
            GuestImage.writeBusyboxImage(busybox, TEST_INIT, initrd);
            Path console = dir.resolve("console.log");
            VmSpec spec = VmSpec.of(kernel, initrd, console, dir.resolve("results.log"))
                    .withQemu(qemu).withAccel(Accel.KVM).withMemoryMiB(256).withTimeout(testDeadline);
            VmExit exit;
            String qemuOut;
            try (Vm vm = Vm.start(spec)) {
                exit = vm.await();
                qemuOut = vm.qemuOutput();
            }
            String consoleText = Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
            return judge(exit, consoleText, qemuOut, testDeadline);
        } finally {
            PathUtils.deleteDirectory(dir);
        }
    }

    /** Pure: KVM only when the marker is on the console and QEMU exited 0; else TCG quoting the failure. */
    static AccelChoice judge(VmExit exit, String console, String qemuOutput, Duration deadline) {
        boolean marker = console.contains(MARKER);
        return switch (exit) {
            case VmExit.PoweredOff p when marker ->
                    new AccelChoice(Accel.KVM, "KVM test boot reached init and powered off in "
                            + p.elapsed().toMillis() + " ms", false);
            case VmExit.PoweredOff p -> new AccelChoice(Accel.TCG,
                    "KVM test boot ended without reaching init" + quote(qemuOutput + "\n" + console) + ": using TCG", false);
            case VmExit.TimedOut t -> new AccelChoice(Accel.TCG, "KVM test boot did not finish within "
                    + t.limit().toSeconds() + " s" + quote(qemuOutput) + ": using TCG", false);
            case VmExit.QemuFailed f -> new AccelChoice(Accel.TCG, "KVM test boot failed (qemu exit "
                    + f.exitCode() + ")" + quote(qemuOutput) + ": using TCG", false);
        };
    }

    /** ": <first relevant QEMU line>" or empty; KVM errors and assertions win over generic lines. */
    static String quote(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (String needle : List.of("KVM internal error", "Assertion", "failed to initialize kvm", "kvm", "abort",
                "error")) {
            for (String l : lines) {
                if (l.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT))) {
                    return ": \"" + l + "\"";
                }
            }
        }
        return "";
    }

    String qemuVersion() throws IOException, InterruptedException {
        Path bin = Vm.resolveQemu(qemu);
        ProcessRunner.Result r = ProcessRunner.run(List.of(bin.toString(), "--version"), Duration.ofSeconds(10));
        if (r.timedOut()) {
            throw new IOException(bin + " --version did not finish within 10 s");
        }
        return r.output().lines().findFirst().orElse("").strip();
    }

    static Optional<CacheEntry> readCache(Path file, String hostKernel, String qemuVersion) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            CacheEntry e = new ObjectMapper().readValue(file.toFile(), CacheEntry.class);
            return e.hostKernel().equals(hostKernel) && e.qemuVersion().equals(qemuVersion) && e.accel() != null
                    ? Optional.of(e) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable cache: test again and overwrite
        }
    }

    static void writeCache(Path file, CacheEntry entry) throws IOException {
        AtomicFiles.write(file, out -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, entry));
    }

    private static String readProc(String path, String fallback) {
        try {
            String s = Files.readString(Path.of(path)).strip();
            return s.isEmpty() ? fallback : s;
        } catch (IOException e) {
            return fallback;
        }
    }
}
