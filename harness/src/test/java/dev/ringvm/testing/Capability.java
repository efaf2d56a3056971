package dev.ringvm.testing;

import dev.ringvm.container.ContainerException;
import dev.ringvm.container.Docker;
import dev.ringvm.guest.GuestImage;
import dev.ringvm.host.Tools;
import dev.ringvm.kernel.AptException;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.run.VngVmRunner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Something a test needs from the machine it runs on ({@link Requires}), each with the one-line reason it is
 * missing. Probed once per JVM. {@code providedByCi}: .ci/run installs or starts it, so under CI its absence is a
 * failure, not a skip.
 */
public enum Capability {
    /** qemu-system-x86_64 on PATH. */
    QEMU(true, () -> tool("qemu-system-x86_64", "qemu-system-x86")),
    /** The static busybox every guest image (and the accel test boot) is built around. */
    BUSYBOX(true, () -> unless(Files.isExecutable(GuestImage.DEFAULT_BUSYBOX),
            GuestImage.DEFAULT_BUSYBOX + " not installed (apt-get install busybox-static)")),
    /** qemu-system-aarch64 on PATH: arm64 guests (Debian's qemu-system-arm). */
    QEMU_AARCH64(true, () -> tool("qemu-system-aarch64", "qemu-system-arm")),
    /** readelf on PATH, the reference for reading ELF dynamic sections (binutils). */
    READELF(true, () -> tool("readelf", "binutils")),
    /** gcc on PATH. */
    GCC(true, () -> tool("gcc", "gcc libc6-dev")),
    GIT(true, () -> tool("git", "git")),
    /** What building a kernel from source runs: gcc, make, flex, bison, bc, patch, tar. */
    KERNEL_BUILD_TOOLS(true, Capability::kernelBuildTools),
    /** Debian's arm64 cross compiler, which builds arm64 kernels ({@code build:} with {@code arch: arm64}). */
    ARM64_CROSS_GCC(true, () -> tool("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu")),
    /**
     * The Debian archive through the private apt configuration: apt-get, the archive keyring, and the host's
     * mirror (from its apt sources) accepting a connection.
     */
    DEBIAN_ARCHIVE(true, Capability::debianArchive),
    /**
     * A kernel for the VM tests that boot one directly: the file named by {@code -Dringvm.test.kernel} or
     * {@code RINGVM_TEST_KERNEL}, else Debian trixie's cloud kernel, which needs {@link #DEBIAN_ARCHIVE}.
     */
    KERNEL(true, Capability::kernel),
    /** A docker daemon the container runner can use (with Ryuk off, as ringvm runs it). */
    DOCKER(true, Capability::docker),
    /** debootstrap, which builds the container runner's QEMU image. */
    DEBOOTSTRAP(true, () -> unless(Tools.onPath("debootstrap") || Files.isExecutable(Path.of("/usr/sbin/debootstrap")),
            "debootstrap not installed (apt-get install debootstrap)")),
    /** chromium, for the report.html screenshot. */
    CHROMIUM(true, () -> unless(chromium().isPresent(), "chromium not installed (apt-get install chromium)")),
    /** dpkg, the reference for Debian version ordering. */
    DPKG(true, () -> tool("dpkg", "dpkg")),
    /** gpg, which signs the test apt archives (gnupg). */
    GPG(true, () -> tool("gpg", "gnupg")),
    /** dpkg-deb, which builds the test apt archives' packages. */
    DPKG_DEB(true, () -> tool("dpkg-deb", "dpkg")),
    /** rpmbuild, which builds the test kernel RPMs (Debian's rpm package). */
    RPMBUILD(true, () -> tool("rpmbuild", "rpm")),
    /** virtme-ng's vng; not packaged for bookworm, so .ci/run does not install it and CI skips too. */
    VNG(false, () -> unless(VngVmRunner.locate().isPresent(), VngVmRunner.NOT_INSTALLED)),
    /** Mounting a small tmpfs (a full disk on demand): root and mount(8). */
    MOUNT_TMPFS(true, () -> unless("root".equals(System.getProperty("user.name")) && Tools.onPath("mount"),
            "mounting a tmpfs needs root and mount(8)"));

    /** AptRepo.KEYRING: the key the private apt configuration checks the archive with. */
    static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final boolean providedByCi;
    /** Why this machine lacks it, or empty when it has it. */
    private final Supplier<Optional<String>> probe;
    private Optional<String> missing;

    Capability(boolean providedByCi, Supplier<Optional<String>> probe) {
        this.providedByCi = providedByCi;
        this.probe = probe;
    }

    /** Why this machine lacks it, or empty when it has it; probed once per JVM. */
    public synchronized Optional<String> missing() {
        if (missing == null) missing = probe.get();
        return missing;
    }

    /** Whether .ci/run provides it: missing under CI is then a failure. */
    public boolean providedByCi() {
        return providedByCi;
    }

    /** The kernel the VM tests were told to boot ({@code -Dringvm.test.kernel} or {@code RINGVM_TEST_KERNEL}), if any. */
    public static Optional<Path> testKernel() {
        String k = System.getProperty("ringvm.test.kernel", System.getenv("RINGVM_TEST_KERNEL"));
        return k == null || k.isBlank() ? Optional.empty() : Optional.of(Path.of(k));
    }

    /** chromium's binary, where Debian and Ubuntu put it. */
    public static Optional<Path> chromium() {
        return List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst();
    }

    /** Empty when {@code present}, else {@code reason}. */
    private static Optional<String> unless(boolean present, String reason) {
        return present ? Optional.empty() : Optional.of(reason);
    }

    private static Optional<String> tool(String name, String packages) {
        return unless(Tools.onPath(name), name + " not installed (apt-get install " + packages + ")");
    }

    private static Optional<String> kernelBuildTools() {
        List<String> missing = List.of("gcc", "make", "flex", "bison", "bc", "patch", "tar").stream()
                .filter(t -> !Tools.onPath(t)).toList();
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing)
                + " not installed (kernel builds; see .ci/run for the apt-get line)");
    }

    private static Optional<String> debianArchive() {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) return Optional.of("apt-get is not installed");
        if (!Files.isRegularFile(KEYRING)) return Optional.of("no " + KEYRING + " (apt-get install debian-archive-keyring)");
        try {
            return reachable(AptRepo.hostMirror());
        } catch (AptException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> kernel() {
        Optional<Path> k = testKernel();
        if (k.isPresent()) {
            return Files.isRegularFile(k.get()) ? Optional.empty()
                    : Optional.of("test kernel " + k.get() + " (ringvm.test.kernel / RINGVM_TEST_KERNEL) does not exist");
        }
        return DEBIAN_ARCHIVE.missing().map(r -> "no test kernel: RINGVM_TEST_KERNEL is unset and " + r);
    }

    private static Optional<String> docker() {
        try {
            Docker.client();
            return Optional.empty();
        } catch (ContainerException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> reachable(String mirror) {
        URI uri = URI.create(mirror);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("the Debian mirror " + mirror + " is not reachable (" + e + ")");
        }
    }
}
