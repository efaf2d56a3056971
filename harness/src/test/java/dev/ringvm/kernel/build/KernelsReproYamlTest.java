package dev.ringvm.kernel.build;

import dev.ringvm.config.Arch;
import dev.ringvm.config.ConfigLoader;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** kernels-repro.yaml and kernels-arm64.yaml load, and their arm64 entries are what the VM tests build and fetch. */
class KernelsReproYamlTest {

    @Test
    void theArm64ReproIsRepro65CrossBuiltWith16kPages() throws Exception {
        List<KernelEntry> kernels = ConfigLoader.load(ReproKernels.REPO.resolve("kernels-repro.yaml")).kernels();
        assertThat(kernels).extracting(KernelEntry::id).containsExactly("repro-6.5", "repro-6.5-arm64-16k", "repro-6.8");
        KernelEntry x86 = kernels.get(0);
        KernelEntry arm = kernels.get(1);
        assertThat(x86.arch()).isEqualTo(Arch.X86_64);
        assertThat(arm.arch()).isEqualTo(Arch.ARM64);
        assertThat(arm.source()).isEqualTo(ReproKernels.sourceArm64_16k("repro-6.5-nommap-efault.patch"));
        assertThat(((KernelSource.BuildSource) arm.source()).patches())
                .isEqualTo(((KernelSource.BuildSource) x86.source()).patches());
        assertThat(arm.expect()).isEqualTo(x86.expect());
    }

    @Test
    void theArm64ExampleNamesBothDebianFlavours() throws Exception {
        List<KernelEntry> kernels = ConfigLoader.load(ReproKernels.REPO.resolve("kernels-arm64.yaml")).kernels();
        assertThat(kernels).allMatch(k -> k.arch() == Arch.ARM64);
        assertThat(kernels).extracting(KernelEntry::source).containsExactly(
                new KernelSource.AptSource("linux-image-*+deb13-arm64", "trixie"),
                new KernelSource.AptSource("linux-image-*-arm64-16k", "trixie"));
    }
}
