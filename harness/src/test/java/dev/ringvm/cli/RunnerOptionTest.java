package dev.ringvm.cli;

import dev.ringvm.progress.Terminal;
import dev.ringvm.vm.AccelDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --runner}: parsing, the one-line error for an unknown value, what the container runner needs. */
class RunnerOptionTest {

    @TempDir
    Path dir;

    /** picocli converts the enum options, in any case; the defaults are the lower-case names. */
    @Test
    void knownValuesAnyCase() {
        RunCommand run = parse("run", "--runner", "Container", "--accel", "kvm", "--progress", "PLAIN");
        assertThat(run.runner).isEqualTo(RunnerKind.CONTAINER);
        assertThat(run.vm.accel).isEqualTo(AccelDetector.Mode.KVM);
        assertThat(run.progressMode).isEqualTo(Terminal.Choice.PLAIN);
        RunCommand defaults = parse("run");
        assertThat(defaults.runner).isEqualTo(RunnerKind.QEMU);
        assertThat(defaults.vm.accel).isEqualTo(AccelDetector.Mode.AUTO);
        assertThat(defaults.progressMode).isEqualTo(Terminal.Choice.AUTO);
        assertThat(parse("run", "--runner", "vng").runner).isEqualTo(RunnerKind.VNG);
    }

    @Test
    void unknownValueNamesTheOptionAndTheValue() {
        assertThat(Main.choices(RunnerKind.class)).isEqualTo("qemu, container or vng");
        assertThat(Main.choices(AccelDetector.Mode.class)).isEqualTo("auto, kvm or tcg");
        Cli cli = new Cli();
        assertThat(cli.run("run", "--accel", "hvf")).isEqualTo(2);
        assertThat(cli.err.toString().strip()).isEqualTo("ringvm: --accel: expected auto, kvm or tcg, got \"hvf\"");
    }

    private static RunCommand parse(String... args) {
        Cli cli = new Cli();
        picocli.CommandLine.ParseResult r = Main.newCommandLine(new java.io.PrintWriter(cli.out), new java.io.PrintWriter(cli.err))
                .parseArgs(args);
        return (RunCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void unknownRunnerIsAUsageErrorOfOneLine() throws Exception {
        Path y = Files.writeString(dir.resolve("kernels.yaml"),
                "kernels:\n  - id: a\n    source: { path: " + Files.writeString(dir.resolve("bz"), "x") + " }\n");
        Cli cli = new Cli();
        assertThat(cli.run("run", "--kernels", y.toString(), "--runner", "podman", "--out", dir.resolve("o").toString()))
                .isEqualTo(2);
        assertThat(cli.err.toString().strip()).isEqualTo("ringvm: --runner: expected qemu, container or vng, got \"podman\"");
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
