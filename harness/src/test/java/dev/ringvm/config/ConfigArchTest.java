package dev.ringvm.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kernels.yaml {@code arch:}: the guest architecture of one kernel. */
class ConfigArchTest {
    @TempDir
    Path dir;

    private MatrixConfig load(String source, String arch) throws Exception {
        Path f = dir.resolve("kernels.yaml");
        Files.writeString(f, "kernels:\n  - id: a\n    source: " + source + "\n"
                + (arch == null ? "" : "    arch: " + arch + "\n"));
        return ConfigLoader.load(f);
    }

    private String error(String source, String arch) {
        return assertThatThrownBy(() -> load(source, arch)).isInstanceOf(ConfigException.class).actual().getMessage()
                .replace(dir.resolve("kernels.yaml") + ": ", "");
    }

    @Test
    void theDefaultIsX86() throws Exception {
        KernelEntry e = load("{ apt: x, suite: sid }", null).kernels().getFirst();
        assertThat(e.arch()).isEqualTo(Arch.X86_64);
        assertThat(e).isEqualTo(new KernelEntry("a", new KernelSource.AptSource("x", "sid")));
    }

    @ParameterizedTest
    @CsvSource({"arm64, ARM64", "aarch64, ARM64", "x86-64, X86_64", "amd64, X86_64", "x86_64, X86_64"})
    void namesOfEachArchitecture(String yaml, Arch arch) throws Exception {
        assertThat(load("{ apt: \"linux-image-*-arm64-16k\", suite: trixie }", yaml).kernels().getFirst().arch()).isEqualTo(arch);
    }

    @Test
    void anArm64EntryOfEachSourceKindLoads() throws Exception {
        Files.writeString(dir.resolve("Image"), "x");
        assertThat(load("{ path: ./Image }", "arm64").kernels().getFirst())
                .isEqualTo(new KernelEntry("a", new KernelSource.PathSource(dir.resolve("Image").toAbsolutePath()), null, null, Arch.ARM64));
        assertThat(load("{ build: { debian-source: linux-source-6.12, config: tinyconfig } }", "arm64").kernels().getFirst().arch())
                .isEqualTo(Arch.ARM64);
    }

    @Test
    void anUnknownArchitectureNamesTheFieldTheValueAndTheChoices() {
        assertThat(error("{ apt: x, suite: sid }", "riscv64"))
                .isEqualTo("kernels[0].arch: unknown architecture \"riscv64\" (expected one of x86-64, arm64)");
        assertThat(error("{ apt: x, suite: sid }", "ARM64"))
                .isEqualTo("kernels[0].arch: unknown architecture \"ARM64\" (expected one of x86-64, arm64)");
        assertThat(error("{ apt: x, suite: sid }", "[arm64]")).isEqualTo("kernels[0].arch: expected one of x86-64, arm64, found a list");
    }

    @Test
    void aHostKernelHasTheHostsArchitecture() throws Exception {
        assertThat(error("{ host: true }", "arm64"))
                .isEqualTo("kernels[0].arch: a host: true kernel is the running kernel; its architecture is the host's");
        assertThat(load("{ host: true }", null).kernels().getFirst().arch()).isEqualTo(Arch.X86_64);
    }
}
