package dev.ringvm.cli;

import dev.ringvm.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --runner}: parsing, the one-line error for an unknown value, what the container runner needs. */
class RunnerOptionTest {

    @TempDir
    Path dir;

    @Test
    void knownValuesAnyCase() throws Exception {
        assertThat(RunnerKind.parse("qemu")).isEqualTo(RunnerKind.QEMU);
        assertThat(RunnerKind.parse("Container")).isEqualTo(RunnerKind.CONTAINER);
        assertThat(RunnerKind.CONTAINER.optionValue()).isEqualTo("container");
    }

    @Test
    void unknownValueNamesTheOptionAndTheValue() {
        assertThatThrownBy(() -> RunnerKind.parse("podman")).isInstanceOf(ConfigException.class)
                .hasMessage("--runner: expected " + RunnerKind.choices() + ", got \"podman\"");
        assertThat(RunnerKind.choices()).startsWith("qemu").contains("container");
    }

    @Test
    void unknownRunnerIsAUsageErrorOfOneLine() throws Exception {
        Path y = Files.writeString(dir.resolve("kernels.yaml"),
                "kernels:\n  - id: a\n    source: { path: " + Files.writeString(dir.resolve("bz"), "x") + " }\n");
        Cli cli = new Cli();
        assertThat(cli.run("run", "--kernels", y.toString(), "--runner", "podman", "--out", dir.resolve("o").toString()))
                .isEqualTo(2);
        assertThat(cli.err.toString().strip()).isEqualTo("ringvm: --runner: expected " + RunnerKind.choices() + ", got \"podman\"");
    }

    @Test
    void containerRunnerNeedsNoHostQemu() throws Exception {
        // the qemu runner refuses a missing QEMU binary; the container runner uses the image's, so it gets past that
        // check (and then needs docker: exit 3 with a docker message when it is absent, else it goes on)
        Path y = Files.writeString(dir.resolve("kernels.yaml"),
                "kernels:\n  - id: a\n    source: { path: " + Files.writeString(dir.resolve("bz"), "x") + " }\n");
        Cli cli = new Cli();
        cli.run("run", "--kernels", y.toString(), "--runner", "container", "--qemu", "/nonexistent/qemu",
                "--out", dir.resolve("o").toString());
        assertThat(cli.err.toString()).doesNotContain("/nonexistent/qemu not found");
    }
}
