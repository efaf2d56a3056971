package dev.ringvm.kernel.build;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * repro-6.5-arm64-16k of kernels-repro.yaml: Debian's linux-source-6.12 with the repro-6.5 patch, cross-built with
 * gcc-aarch64-linux-gnu from tinyconfig plus the arm64 guest fragment and 16 KiB pages (cached under the user cache:
 * the first build takes minutes, a rerun is a cache hit). Checks what the build produced: an arm64 Image whose
 * header says 16K pages and whose version is the 6.12 source's, and a config with what the arm64 guest needs built
 * in. Booting it beside x86-64 repro-6.5 is the VM runner's test.
 */
@Tag("vm")
@Requires({Capability.KERNEL_BUILD_TOOLS, Capability.ARM64_CROSS_GCC, Capability.DEBIAN_ARCHIVE})
class Repro65Arm64BuildVmTest {

    @Test
    void crossBuildsAnArm64ImageWith16kPages(@TempDir Path dir) throws Exception {
        Path image = ReproKernels.buildArm64_16k("repro-6.5-arm64-16k", "repro-6.5-nommap-efault.patch");
        assertThat(image.getFileName().toString()).isEqualTo("Image");
        ResolvedKernel k = new KernelResolver(dir.resolve("cache"), dir.resolve("kernels.lock"), m -> {})
                .resolve(new KernelEntry("repro-6.5-arm64-16k", new KernelSource.PathSource(image), null, null, Arch.ARM64));
        assertThat(k.arch()).isEqualTo(Arch.ARM64);
        assertThat(k.pageKiB()).isEqualTo(16);
        assertThat(k.release()).startsWith("6.12.");
        Map<String, String> config = ConfigFragments.parse(image.resolveSibling("config"));
        assertThat(config).containsEntry("CONFIG_ARM64_16K_PAGES", "y").containsEntry("CONFIG_IO_URING", "y");
        for (String option : new String[] {"CONFIG_SERIAL_AMBA_PL011", "CONFIG_SERIAL_AMBA_PL011_CONSOLE", "CONFIG_PCI",
                "CONFIG_PCI_HOST_GENERIC", "CONFIG_VIRTIO_PCI", "CONFIG_VIRTIO_CONSOLE", "CONFIG_BLK_DEV_INITRD",
                "CONFIG_HUGETLBFS", "CONFIG_TRANSPARENT_HUGEPAGE"}) {
            assertThat(config).as(option).containsEntry(option, "y");
        }
        assertThat(Files.readString(image.resolveSibling("build.log"))).contains("# arch: arm64",
                "patching file io_uring/");
    }
}
