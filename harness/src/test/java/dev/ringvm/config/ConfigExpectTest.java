package dev.ringvm.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kernels.yaml {@code expect:} overrides (issue 4). */
class ConfigExpectTest {
    @TempDir
    Path dir;

    private MatrixConfig load(String expect) throws Exception {
        Path f = dir.resolve("kernels.yaml");
        Files.writeString(f, "kernels:\n  - id: a\n    source: { apt: x, suite: sid }\n" + (expect == null ? "" : "    expect: " + expect + "\n"));
        return ConfigLoader.load(f);
    }

    private String error(String expect) {
        return assertThatThrownBy(() -> load(expect)).isInstanceOf(ConfigException.class).actual().getMessage()
                .replace(dir.resolve("kernels.yaml") + ": ", "");
    }

    @Test
    void absentIsNull() throws Exception {
        assertThat(load(null).kernels().getFirst().expect()).isNull();
    }

    @Test
    void parsesReasonReleaseAsAndOutcomes() throws Exception {
        Expectations e = load("{ reason: \"Debian backports the vmap fix\", release-as: 6.5.0, multi-4k: ok, multi-thp: \"ok|EINVAL\" }")
                .kernels().getFirst().expect();
        assertThat(e.reason()).isEqualTo("Debian backports the vmap fix");
        assertThat(e.releaseAs()).isEqualTo("6.5.0");
        assertThat(e.outcomes()).containsEntry("multi-4k", Set.of("ok")).containsEntry("multi-thp", Set.of("ok", "EINVAL"));
    }

    @Test
    void unknownCaseClassNamesTheKey() {
        assertThat(error("{ reason: r, multi-4K: ok }")).startsWith("kernels[0].expect.multi-4K: unknown case class");
    }

    @Test
    void badOutcomeNamesTheKey() {
        assertThat(error("{ reason: r, multi-thp: fine }"))
                .isEqualTo("kernels[0].expect.multi-thp: bad outcome \"fine\" (expected ok, an errno name like EINVAL, or several joined by |)");
    }

    @Test
    void reasonIsRequiredAndReleaseAsValidated() {
        assertThat(error("{ multi-4k: ok }")).isEqualTo("kernels[0].expect.reason: missing (say why this kernel differs from upstream)");
        assertThat(error("{ reason: r, release-as: six }")).startsWith("kernels[0].expect.release-as: bad version \"six\"");
        assertThat(error("[ok]")).startsWith("kernels[0].expect: expected a mapping");
    }
}
