package dev.ringvm.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kernels.yaml {@code unprivileged: SIZE}: the probe's RLIMIT_MEMLOCK as an unprivileged user. */
class ConfigUnprivilegedTest {
    @TempDir
    Path dir;

    private MatrixConfig load(String source, String value) throws Exception {
        Path f = dir.resolve("kernels.yaml");
        Files.writeString(f, "kernels:\n  - id: a\n    source: " + source + "\n"
                + (value == null ? "" : "    unprivileged: " + value + "\n"));
        return ConfigLoader.load(f);
    }

    private String error(String source, String value) {
        return assertThatThrownBy(() -> load(source, value)).isInstanceOf(ConfigException.class).actual().getMessage()
                .replace(dir.resolve("kernels.yaml") + ": ", "");
    }

    @Test
    void sizesAreKibibytes() throws Exception {
        assertThat(load("{ apt: x, suite: sid }", null).kernels().getFirst().memlockKiB()).isNull();
        assertThat(load("{ apt: x, suite: sid }", "64K").kernels().getFirst().memlockKiB()).isEqualTo(64);
        assertThat(load("{ apt: x, suite: sid }", "8M").kernels().getFirst().memlockKiB()).isEqualTo(8192);
        assertThat(load("{ apt: x, suite: sid }", "1G").kernels().getFirst().memlockKiB()).isEqualTo(1024 * 1024);
    }

    @Test
    void badSizesNameTheFieldAndTheValue() {
        assertThat(error("{ apt: x, suite: sid }", "64k"))
                .isEqualTo("kernels[0].unprivileged: bad size \"64k\" (expected RLIMIT_MEMLOCK like 64K or 8M)");
        assertThat(error("{ apt: x, suite: sid }", "2K")).isEqualTo("kernels[0].unprivileged: size 2K out of range (4K..1G)");
        assertThat(error("{ apt: x, suite: sid }", "2G")).isEqualTo("kernels[0].unprivileged: size 2G out of range (4K..1G)");
        assertThat(error("{ host: true }", "64K"))
                .isEqualTo("kernels[0].unprivileged: needs a VM: a host: true kernel runs the probe as ringvm's own user");
    }
}
