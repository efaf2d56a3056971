package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ubuntu's and RPM distributions' kernels without an archive: suites told apart by distribution, the host's
 * archives and Signed-By read from apt's answer and the sources files, the private sources line, the guest's
 * built-in options, and rpm: sources through the resolver (file and loopback URL).
 */
class DistributionKernelsTest {
    @TempDir Path dir;
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void suitesAreToldApartByDistributionWithTheirPockets() {
        assertThat(AptDistribution.ofSuite("noble")).contains(AptDistribution.UBUNTU);
        assertThat(AptDistribution.ofSuite("noble-updates")).contains(AptDistribution.UBUNTU);
        assertThat(AptDistribution.ofSuite("jammy-security")).contains(AptDistribution.UBUNTU);
        assertThat(AptDistribution.ofSuite("trixie-backports")).contains(AptDistribution.DEBIAN);
        assertThat(AptDistribution.ofSuite("bookworm-backports-sloppy")).contains(AptDistribution.DEBIAN);
        assertThat(AptDistribution.ofSuite("sid")).contains(AptDistribution.DEBIAN);
        assertThat(AptDistribution.ofSuite("nodistro")).isEmpty();
        assertThat(AptDistribution.ofSuite("cloud-sdk-bookworm")).isEmpty();
        assertThat(AptDistribution.UBUNTU.isMainSuite("noble")).isTrue();
        assertThat(AptDistribution.UBUNTU.isMainSuite("noble-updates")).isFalse();
    }

    /** What indextargets prints on an Ubuntu 24.04 runner (deb822 ubuntu.sources with two stanzas). */
    private static final String NOBLE_HOST = """
            deb http://azure.archive.example/ubuntu/ noble /etc/apt/sources.list.d/ubuntu.sources:1
            deb http://azure.archive.example/ubuntu/ noble-updates /etc/apt/sources.list.d/ubuntu.sources:1
            deb http://azure.archive.example/ubuntu/ noble-backports /etc/apt/sources.list.d/ubuntu.sources:1
            deb http://security.example/ubuntu/ noble-security /etc/apt/sources.list.d/ubuntu.sources:2
            deb https://packages.example/repos/ubuntu/ noble /etc/apt/sources.list.d/microsoft-prod.list:1
            """;

    @Test
    void anUbuntuHostHasAnUbuntuArchiveAndNoDebianOne() throws Exception {
        Optional<HostMirror.HostArchive> a = HostMirror.archiveOf(NOBLE_HOST, AptDistribution.UBUNTU);
        assertThat(a).contains(new HostMirror.HostArchive("http://azure.archive.example/ubuntu", "noble",
                AptDistribution.UBUNTU, "/etc/apt/sources.list.d/ubuntu.sources:1"));
        assertThat(HostMirror.archiveOf(NOBLE_HOST, AptDistribution.DEBIAN)).isEmpty();
        assertThat(HostMirror.fromIndexTargets(NOBLE_HOST)).isEmpty();
        String debianHost = "deb http://deb.example/debian/ bookworm /etc/apt/sources.list.d/debian.sources:1\n";
        assertThat(HostMirror.archiveOf(debianHost, AptDistribution.DEBIAN)).map(HostMirror.HostArchive::uri)
                .contains("http://deb.example/debian");
        assertThat(HostMirror.archiveOf(debianHost, AptDistribution.UBUNTU)).isEmpty();
    }

    @Test
    void signedByComesFromTheNamedStanzaOrLine() throws Exception {
        Path sources = Files.writeString(dir.resolve("ubuntu.sources"), """
                # Ubuntu sources have moved to this file
                Types: deb
                URIs: http://archive.example/ubuntu/
                Suites: noble noble-updates
                Components: main restricted universe multiverse
                Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg

                ## security
                Types: deb
                URIs: http://security.example/ubuntu/
                Suites: noble-security
                Signed-By:
                 -----BEGIN PGP PUBLIC KEY BLOCK-----
                 .
                 mDMEZxyz
                 -----END PGP PUBLIC KEY BLOCK-----
                """);
        assertThat(HostMirror.signedBy(sources + ":1")).contains(new HostMirror.SignedBy(
                List.of(Path.of("/usr/share/keyrings/ubuntu-archive-keyring.gpg")), null));
        assertThat(HostMirror.signedBy(sources + ":2")).contains(new HostMirror.SignedBy(List.of(),
                "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZxyz\n-----END PGP PUBLIC KEY BLOCK-----\n"));
        assertThat(HostMirror.signedBy(sources + ":3")).isEmpty();
        Path list = Files.writeString(dir.resolve("x.list"), "# comment\ndeb [arch=amd64 signed-by=/etc/k.gpg] http://a.example/ubuntu jammy main\n"
                + "deb http://b.example/ubuntu jammy main\n");
        assertThat(HostMirror.signedBy(list + ":2")).contains(new HostMirror.SignedBy(List.of(Path.of("/etc/k.gpg")), null));
        assertThat(HostMirror.signedBy(list + ":3")).isEmpty();
        assertThat(HostMirror.signedBy(dir.resolve("missing.list") + ":1")).isEmpty();
        assertThat(HostMirror.signedByOneLine("deb [signed-by=ABCDEF0123456789] http://x/ noble main", 1)).as("fingerprint only").isEmpty();
    }

    @Test
    void thePrivateSourcesLineNamesTheKeyringAndComponents() {
        assertThat(AptDirectory.sourcesLine("http://a.example/ubuntu", "noble-updates", Path.of("/k/ubuntu.gpg"), List.of("main", "universe")))
                .isEqualTo("deb [arch=amd64 signed-by=/k/ubuntu.gpg] http://a.example/ubuntu noble-updates main universe\n");
        AptTarget host = AptTarget.host("noble");
        assertThat(host.key()).isEqualTo("noble");
        AptTarget a = AptTarget.of(new KernelSource.AptSource("linux-image-*", "noble", "http://a.example/ubuntu", null, null));
        AptTarget b = AptTarget.of(new KernelSource.AptSource("linux-image-*", "noble", "http://b.example/ubuntu", null, null));
        assertThat(a.key()).startsWith("noble.").hasSize("noble.".length() + 12).isNotEqualTo(b.key());
        assertThat(a.describe()).isEqualTo("noble from http://a.example/ubuntu");
    }

    @Test
    void anUbuntuSuiteOnAHostWithoutUbuntuSourcesSaysWhatToAdd() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("sources.list"), "deb http://deb.example/debian bookworm main\n");
        AptRepo repo = new AptRepo(dir.resolve("cache"), null, List.of("-o", "Dir::Etc::SourceList=" + etc.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + etc.resolve("none.d")), AptRepo.DEFAULT_MAX_LIST_AGE, Duration.ofSeconds(30), log::add);
        assertThatThrownBy(() -> repo.ensureLists(AptTarget.host("noble-updates")))
                .hasMessage("apt noble-updates: noble-updates is a suite of Ubuntu, but the host's apt sources name no Ubuntu archive"
                        + " (they name Debian's at http://deb.example/debian); give the kernel an archive: and a keyring:");
        AptTarget named = AptTarget.of(new KernelSource.AptSource("linux-image-*", "resolute-x", "http://127.0.0.1:9/ubuntu", null, null));
        assertThatThrownBy(() -> repo.ensureLists(named))
                .hasMessage("apt resolute-x from http://127.0.0.1:9/ubuntu: no keyring for this archive (give the kernel a keyring:"
                        + " naming the file that signs it)");
    }

    @Test
    void theGuestNeedsItsDriversBuiltIn() {
        assertThat(GuestKernelConfig.missing(RpmArchiveTest.CONFIG_OK)).isEmpty();
        String modular = RpmArchiveTest.CONFIG_OK.replace("CONFIG_SERIAL_8250=y", "CONFIG_SERIAL_8250=m")
                .replace("CONFIG_DEVTMPFS=y\n", "# CONFIG_DEVTMPFS is not set\n");
        assertThat(GuestKernelConfig.missing(modular)).containsExactly("CONFIG_SERIAL_8250=m (the serial ports)",
                "CONFIG_DEVTMPFS is not set (/dev)");
    }

    private KernelResolver resolver(LoopbackServer server) {
        return new KernelResolver(dir.resolve("cache"), dir.resolve("kernels.lock"), null, null,
                MainlineArchive.base(server.uri("/mainline/").toString()),
                new HttpFetcher(Duration.ofSeconds(5), Duration.ofSeconds(5)), log::add, Clock.systemUTC());
    }

    @Test
    void anRpmFileResolvesWithItsHeadersNameAndVersion() throws Exception {
        Path rpm = TestRpms.rpm(dir.resolve("kernel-core.rpm"), "xz", "kernel-core", "5.14.0", "427.13.1.el9_4",
                RpmArchiveTest.kernelCore(RpmArchiveTest.RELEASE, RpmArchiveTest.CONFIG_OK));
        try (LoopbackServer server = new LoopbackServer()) {
            ResolvedKernel k = resolver(server).resolve(new KernelEntry("rhel", new KernelSource.RpmSource(rpm.toString(), null)));
            assertThat(k.release()).isEqualTo(RpmArchiveTest.RELEASE);
            assertThat(k.packageName()).isEqualTo("kernel-core");
            assertThat(k.packageVersion()).isEqualTo("5.14.0-427.13.1.el9_4");
            assertThat(Sha256.hex(k.image())).isEqualTo(k.sha256());
            String wrong = "0".repeat(64);
            assertThatThrownBy(() -> resolver(server).resolve(new KernelEntry("rhel", new KernelSource.RpmSource(rpm.toString(), wrong))))
                    .isInstanceOf(KernelUnavailableException.class)
                    .hasMessage("kernel rhel: " + rpm + " has sha256 " + Sha256.hex(rpm) + " but kernels.yaml expects " + wrong + "; refusing it");
        }
    }

    @Test
    void anRpmUrlIsPinnedAndAChangedFileIsRefused() throws Exception {
        Path rpm = TestRpms.rpm(dir.resolve("a.rpm"), "zstd", "kernel-core", "6.8.5", "301.fc40",
                RpmArchiveTest.kernelCore("6.8.5-301.fc40.x86_64", RpmArchiveTest.CONFIG_OK));
        byte[] bytes = Files.readAllBytes(rpm);
        try (LoopbackServer server = new LoopbackServer()) {
            server.serve("/f/kernel-core.rpm", bytes);
            KernelEntry e = new KernelEntry("fedora", new KernelSource.RpmSource(server.uri("/f/kernel-core.rpm").toString(), null));
            ResolvedKernel k = resolver(server).resolve(e);
            assertThat(k.release()).isEqualTo("6.8.5-301.fc40.x86_64");
            KernelLock.Entry pin = new KernelLock(dir.resolve("kernels.lock")).get("fedora").orElseThrow();
            assertThat(pin.debSha256()).isEqualTo(Sha256.hex(rpm));
            assertThat(pin.packageName()).isEqualTo("kernel-core");
            assertThat(pin.version()).isEqualTo("6.8.5-301.fc40");
            assertThat(dir.resolve("cache/rpms/" + pin.debSha256() + ".rpm")).exists();
            Path other = TestRpms.rpm(dir.resolve("b.rpm"), "zstd", "kernel-core", "6.8.6", "301.fc40",
                    RpmArchiveTest.kernelCore("6.8.6-301.fc40.x86_64", RpmArchiveTest.CONFIG_OK));
            server.serve("/f/kernel-core.rpm", Files.readAllBytes(other));
            Files.delete(dir.resolve("cache/rpms/" + pin.debSha256() + ".rpm"));
            assertThatThrownBy(() -> resolver(server).resolve(e)).isInstanceOf(KernelUnavailableException.class)
                    .hasMessageContaining("but kernels.lock expects " + pin.debSha256());
        }
    }

    @Test
    void anRpmKernelWithModularSerialIsRefusedNamingTheOption() throws Exception {
        String modular = RpmArchiveTest.CONFIG_OK.replace("CONFIG_SERIAL_8250=y", "CONFIG_SERIAL_8250=m");
        Path rpm = TestRpms.rpm(dir.resolve("k.rpm"), "gzip", "kernel-core", "6.1", "1", RpmArchiveTest.kernelCore("6.1.0-1.x86_64", modular));
        try (LoopbackServer server = new LoopbackServer()) {
            assertThatThrownBy(() -> resolver(server).resolve(new KernelEntry("m", new KernelSource.RpmSource(rpm.toString(), null))))
                    .isInstanceOf(KernelUnavailableException.class)
                    .hasMessage("kernel m: k.rpm: kernel 6.1.0-1.x86_64 cannot boot ringvm's guest, which loads no modules:"
                            + " CONFIG_SERIAL_8250=m (the serial ports) in its config");
        }
    }
}
