package dev.ringvm.cli;

import dev.ringvm.run.VngVmRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code run --runner}: usage and the missing-vng error. No VM is started. */
class VngRunnerCommandTest {

    @TempDir
    Path dir;

    private final Cli cli = new Cli();

    private Path yaml() throws Exception {
        Path image = Files.writeString(dir.resolve("bz"), "x");
        return Files.writeString(dir.resolve("kernels.yaml"), "kernels:\n  - id: a\n    source: { path: " + image + " }\n");
    }

    @Test
    void missingVngIsOneInfrastructureLineBeforeAnythingElse() throws Exception {
        assumeTrue(VngVmRunner.locate().isEmpty(), "vng is on PATH here: its absence cannot be shown");
        // even before QEMU is looked for: the first thing a user of --runner vng needs to know
        int code = cli.run("run", "--runner", "vng", "--kernels", yaml().toString(), "--out", dir.resolve("o").toString(),
                "--qemu", "/nonexistent/qemu-system-x86_64");
        assertThat(code).isEqualTo(3);
        assertThat(cli.err.toString().strip()).isEqualTo("ringvm: " + VngVmRunner.NOT_INSTALLED)
                .contains("virtme-ng is not installed").hasLineCount(1);
        assertThat(cli.out.toString()).isEmpty();
    }

    @Test
    void unknownRunnerIsAUsageError() throws Exception {
        assertThat(cli.run("run", "--runner", "firecracker", "--kernels", yaml().toString())).isEqualTo(2);
        assertThat(cli.err.toString().strip()).isEqualTo("ringvm: --runner: expected qemu, container or vng, got \"firecracker\"");
    }

    @Test
    void aHostOnlyMatrixNeedsNoVng() throws Exception {
        assumeTrue(VngVmRunner.locate().isEmpty(), "vng is on PATH here: its absence cannot be shown");
        Path y = Files.writeString(dir.resolve("host.yaml"), "kernels:\n  - id: h\n    source: { host: true }\n");
        cli.run("run", "--runner", "vng", "--kernels", y.toString(), "--out", dir.resolve("o").toString(),
                "--only", "nothing-matches-this", "--timeout", "60s");
        assertThat(cli.err.toString()).doesNotContain("virtme-ng is not installed");
    }
}
