package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resolves Debian trixie's arm64 kernels (the 4K generic flavour and -arm64-16k) through the private apt tree for
 * arm64 (network: the host's Debian mirror). The images go to the user cache (about 93 MB per .deb is downloaded
 * once, then the by-package index answers), the pins to a temporary kernels.lock. The host's dpkg architectures are
 * read before and after: fetching arm64 packages must not add one. Tagged "vm" like the other archive tests.
 */
@Tag("vm")
@Requires({Capability.DEBIAN_ARCHIVE, Capability.DPKG})
class Arm64AptKernelsVmTest {

    @TempDir Path dir;

    private static String foreignArchitectures() throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(List.of("dpkg", "--print-foreign-architectures"), Duration.ofSeconds(30));
        assertThat(r.ok()).as(r.tail(3)).isTrue();
        return r.stdout().strip();
    }

    @Test
    void resolvesTrixieArm64AndArm64_16kWithTheirPageSizes() throws Exception {
        String before = foreignArchitectures();
        KernelResolver r = new KernelResolver(CacheDirs.root(), dir.resolve("kernels.lock"),
                m -> System.err.println("[Arm64AptKernelsVmTest]   " + m));
        long t0 = System.nanoTime();
        ResolvedKernel k16 = r.resolve(new KernelEntry("debian-6.12-arm64-16k",
                new KernelSource.AptSource("linux-image-*-arm64-16k", "trixie"), null, null, Arch.ARM64));
        ResolvedKernel k4 = r.resolve(new KernelEntry("debian-6.12-arm64",
                new KernelSource.AptSource("linux-image-*+deb13-arm64", "trixie"), null, null, Arch.ARM64));
        System.err.println("[Arm64AptKernelsVmTest] " + k16.packageName() + " " + k16.packageVersion() + ", " + k4.packageName()
                + " " + k4.packageVersion() + " in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");

        assertThat(k16.packageName()).matches("linux-image-6\\.12\\.\\d+\\+deb13-arm64-16k");
        assertThat(k16.release()).matches("6\\.12\\.\\d+\\+deb13-arm64-16k");
        assertThat(k16.arch()).isEqualTo(Arch.ARM64);
        assertThat(k16.pageKiB()).isEqualTo(16);
        assertThat(k16.versionString()).contains("debian");
        assertThat(Sha256.hex(k16.image())).isEqualTo(k16.sha256());

        assertThat(k4.packageName()).matches("linux-image-6\\.12\\.\\d+\\+deb13-arm64");
        assertThat(k4.release()).matches("6\\.12\\.\\d+\\+deb13-arm64");
        assertThat(k4.pageKiB()).isEqualTo(4);
        assertThat(k4.arch()).isEqualTo(Arch.ARM64);

        assertThat(foreignArchitectures()).as("dpkg --print-foreign-architectures").isEqualTo(before);
    }
}
