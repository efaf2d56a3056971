package dev.ringvm.kernel;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolves real Debian kernels through the private apt repo (network: the host's Debian mirror). Tagged
 * "vm" so plain {@code mvn test} skips it; {@code -Pvm-tests} runs it.
 */
@Tag("vm")
@Requires(Capability.DEBIAN_ARCHIVE)
class AptKernelsVmTest {

    @TempDir Path dir;


    private static void say(String s) {
        System.err.println("[AptKernelsVmTest] " + s);
    }

    private ResolvedKernel timed(KernelResolver r, KernelEntry e, String label) throws Exception {
        long t0 = System.nanoTime();
        ResolvedKernel k = r.resolve(e);
        say(label + " " + e.id() + ": " + k.packageName() + " " + k.packageVersion() + " release " + k.release()
                + " sha256 " + k.sha256() + " in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
        return k;
    }

    @Test
    void resolvesBookwormAndTrixieCloudKernels() throws Exception {
        Path cache = dir.resolve("cache");
        Path lock = dir.resolve("kernels.lock");
        KernelResolver r = new KernelResolver(cache, lock, m -> say("  " + m));
        KernelEntry bookworm = new KernelEntry("debian-6.1", new KernelSource.AptSource("linux-image-*-cloud-amd64", "bookworm"));
        KernelEntry trixie = new KernelEntry("debian-6.12", new KernelSource.AptSource("linux-image-*-cloud-amd64", "trixie"));

        ResolvedKernel b = timed(r, bookworm, "cold");
        ResolvedKernel t = timed(r, trixie, "cold");
        assertThat(b.release()).startsWith("6.1.");
        assertThat(t.release()).startsWith("6.12.");
        assertThat(b.versionString()).contains("debian");
        assertThat(Sha256.hex(b.image())).isEqualTo(b.sha256());

        KernelResolver warm = new KernelResolver(cache, lock, m -> say("  " + m));
        assertThat(timed(warm, bookworm, "warm")).isEqualTo(b);
        assertThat(timed(warm, trixie, "warm")).isEqualTo(t);
    }

    @Test
    void resolvesTheSplitPackagingOfNewerKernels() throws Exception {
        Path cache = dir.resolve("cache");
        KernelResolver r = new KernelResolver(cache, dir.resolve("kernels.lock"), m -> say("  " + m));
        ResolvedKernel k = timed(r, new KernelEntry("debian-7",
                new KernelSource.AptSource("linux-image-7.*-cloud-amd64", "trixie-backports")), "cold");
        assertThat(k.release()).startsWith("7.");
    }

    @Test
    void anUnknownSuiteIsAOneLineErrorNamingIt() {
        KernelResolver r = new KernelResolver(dir.resolve("cache"), dir.resolve("kernels.lock"), m -> say("  " + m));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.resolve(new KernelEntry("nope",
                        new KernelSource.AptSource("linux-image-*-cloud-amd64", "no-such-suite"))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessageStartingWith("kernel nope: apt no-such-suite: apt-get update failed")
                .satisfies(e -> {
                    say("unknown suite message: " + e.getMessage());
                    assertThat(e.getMessage()).doesNotContain("\n");
                });
    }

    @Test
    void reportsWhatEachSuiteOffers() throws Exception {
        AptRepo apt = new AptRepo(dir.resolve("cache"), m -> say("  " + m));
        for (String suite : List.of("bookworm", "bookworm-backports", "trixie", "trixie-backports", "sid", "experimental")) {
            for (String glob : List.of("linux-image-6.*-cloud-amd64", "linux-image-7.*-cloud-amd64", "linux-image-*-cloud-amd64")) {
                try {
                    PackageRef p = apt.newestKernelImage(suite, glob);
                    say("offer " + suite + " " + glob + " -> " + p.name() + " " + p.version());
                } catch (AptException e) {
                    say("offer " + suite + " " + glob + " -> none (" + e.getMessage() + ")");
                }
            }
        }
        PackageRef libc = apt.newest("trixie", "linux-libc-dev");
        Path deb = apt.downloadPackage("trixie", "linux-libc-dev");
        say("linux-libc-dev trixie -> " + libc.version() + " " + deb.getFileName());
        List<Path> headers = DebArchive.extract(deb, n -> n.endsWith("/linux/io_uring.h"), dir.resolve("hdr"));
        assertThat(headers).hasSize(1);
        assertThat(Files.readString(headers.getFirst())).contains("IORING_SETUP_NO_MMAP");
    }
}
