package dev.ringvm.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** User errors: one line naming the file, field or value, and the DESIGN.md exit code. No QEMU is started. */
class RunCommandTest extends CommandTest {

    @Test
    void missingKernelsFileIsAConfigError() {
        Path missing = dir.resolve("nope.yaml");
        assertThat(run("run", "--kernels", missing.toString(), "--out", dir.resolve("o").toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("ringvm: " + missing + ": no such file");
    }

    @Test
    void badYamlNamesTheField() throws Exception {
        Path y = yaml("kernels:\n  - id: a\n    source: { apt: x }\n");
        assertThat(run("run", "--kernels", y.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("kernels[0].source").contains("suite").hasLineCount(1);
    }

    @Test
    void badMemoryOptionNamesTheValue() throws Exception {
        Path y = yaml("kernels:\n  - id: a\n    source: { path: " + Files.writeString(dir.resolve("bz"), "x") + " }\n");
        assertThat(run("run", "--kernels", y.toString(), "--memory", "512M,lots")).isEqualTo(2);
        assertThat(err.toString()).contains("lots").hasLineCount(1);
    }

    @Test
    void vngRefusesArm64KernelsBeforeAnythingBoots() throws Exception {
        Path y = yaml("kernels:\n  - id: a\n    arch: arm64\n    source: { path: " + Files.writeString(dir.resolve("Image"), "x")
                + " }\n");
        assertThat(run("run", "--kernels", y.toString(), "--runner", "vng", "--out", dir.resolve("o").toString()))
                .isEqualTo(2);
        assertThat(err.toString().strip()).hasLineCount(1).endsWith(
                "--runner vng: boots x86-64 kernels over the host's root filesystem with the host's JDK; " + y
                        + " has [arm64] kernels (use --runner qemu or container)");
    }

    @Test
    void badProgressModeIsAUsageError() throws Exception {
        Path y = yaml("kernels:\n  - id: a\n    source: { path: " + Files.writeString(dir.resolve("bz"), "x") + " }\n");
        assertThat(run("run", "--kernels", y.toString(), "--progress", "fancy")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("ringvm: --progress: expected auto, tty or plain, got \"fancy\"");
    }

    @Test
    void badAccelAndTimeoutAreUsageErrors() throws Exception {
        Path y = yaml("kernels:\n  - id: a\n    source: { path: " + Files.writeString(dir.resolve("bz"), "x") + " }\n");
        assertThat(run("run", "--kernels", y.toString(), "--accel", "hvf")).isEqualTo(2);
        assertThat(err.toString()).contains("--accel").contains("hvf");
        assertThat(run("run", "--kernels", y.toString(), "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("soon");
        assertThat(run("run", "--kernels", y.toString(), "--jobs", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--jobs");
    }

    @Test
    void missingQemuIsAnInfrastructureError() throws Exception {
        Path y = yaml("kernels:\n  - id: a\n    source: { path: " + Files.writeString(dir.resolve("bz"), "x") + " }\n");
        assertThat(run("run", "--kernels", y.toString(), "--qemu", "/nonexistent/qemu-system-x86_64")).isEqualTo(3);
        assertThat(err.toString().strip())
                .isEqualTo("ringvm: /nonexistent/qemu-system-x86_64 not found (install qemu-system-x86)");
    }

    @Test
    void unknownOptionPrintsUsageHint() {
        assertThat(run("run", "--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("--frobnicate").contains("ringvm run --help");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("300")).hasSeconds(300);
        assertThat(Durations.parse("5m")).hasSeconds(300);
        assertThat(Durations.parse("1h30m")).hasMinutes(90);
        assertThat(Durations.parse("1500ms")).hasMillis(1500);
    }

    @Test
    void parallelismRespectsCoresAndMemory() {
        assertThat(Parallelism.choose(2, 24_000, java.util.List.of(512, 2048))).isEqualTo(2);
        assertThat(Parallelism.choose(8, 3_000, java.util.List.of(512, 2048))).as("by the smallest guest; the budget "
                + "keeps the sum in bounds").isEqualTo(3);
        assertThat(Parallelism.choose(8, 2_000, java.util.List.of(2048))).isEqualTo(1);
        assertThat(Parallelism.choose(1, 24_000, java.util.List.of(512))).isEqualTo(1);
        assertThat(Parallelism.choose(4, 100, java.util.List.of(512))).as("never zero").isEqualTo(1);
    }

    @Test
    void onlyMustBeARegexThatTravelsOnTheKernelCommandLine() throws Exception {
        RunCommand.checkOnly(null);
        RunCommand.checkOnly("hugetlb/sq1.*");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunCommand.checkOnly("sq4$"))
                .hasMessageContaining("--only: \"sq4$\" cannot travel on the kernel command line");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunCommand.checkOnly("sq(4"))
                .hasMessageContaining("--only: bad regular expression");
        assertThat(run("run", "--only", "a|b", "--kernels", TestKernels.repo().resolve("kernels.yaml").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--only: \"a|b\" cannot travel");
    }

    @Test
    void gridMustBeOneTheProbeKnows() throws Exception {
        RunCommand.checkGrid("default");
        RunCommand.checkGrid("v1");
        assertThat(run("run", "--grid", "v2", "--kernels", TestKernels.repo().resolve("kernels.yaml").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--grid: unknown grid \"v2\"; expected one of [default, v1]");
    }
}
