package dev.ringvm.cli;

import dev.ringvm.testing.Poll;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C (SIGINT) on a running `ringvm run` leaves no QEMU behind, exits 130 and leaves reports that say the
 * run was interrupted. Runs the CLI in a child JVM.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
class InterruptVmTest {

    @TempDir
    Path dir;

    @Test
    void sigintKillsEveryRunningQemu() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M, 2G]
                kernels:
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        Path runDir = dir.resolve("run");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                "dev.ringvm.cli.Main", "run", "--kernels", yaml.toString(), "--out", runDir.toString(),
                "--accel", "tcg", "--jobs", "2"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("ringvm.log").toFile()).start();
        try {
            Poll.until(Duration.ofSeconds(120), () -> !p.isAlive() || qemus(runDir) >= 2, () -> "two QEMUs running");
            assertThat(p.isAlive()).as(Files.readString(dir.resolve("ringvm.log"))).isTrue();
            assertThat(FailingVmsVmTest.qemuProcessesMentioning(runDir)).as("both VMs started").isEqualTo(2);
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ringvm exits on SIGINT (a deadline, not a speed claim: a loaded 2-core host took over 30 s)").isTrue();
            String log = Files.readString(dir.resolve("ringvm.log"));
            assertThat(p.exitValue()).as("the JVM's SIGINT exit status\n" + log).isEqualTo(130);
            // the final reports were written and say the run was interrupted; the killed VMs are "not run",
            // not INFRA failures of the kernel
            JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
            assertThat(report.path("run").path("interrupted").asBoolean()).as(log).isTrue();
            assertThat(report.path("run").path("notRun").toString()).contains("debian-6.12-512M", "debian-6.12-2048M");
            assertThat(report.path("rows")).as("no INFRA rows for VMs Ctrl-C killed").isEmpty();
            assertThat(new ObjectMapper().readTree(runDir.resolve("run.json").toFile()).path("interrupted").asBoolean()).isTrue();
            assertThat(runDir.resolve("report.md")).content().contains("Interrupted");
            assertThat(log).contains("interrupted (SIGINT): stopping").as("the matrix of what finished is printed")
                    .contains("interrupted by SIGINT; not run: debian-6.12-")
                    .as("the footer gives the status the process exited with").contains(", exit 130 (SIGINT); records in");
            assertThat(report.path("run").path("exitCode").asInt()).isEqualTo(130);
            assertThat(report.path("run").path("stoppedBy").asText()).isEqualTo("SIGINT");
            // the reaper runs in the shutdown hook, before the JVM exits: nothing may be left once it is gone
            assertThat(FailingVmsVmTest.qemuProcessesMentioning(runDir)).as(Files.readString(dir.resolve("ringvm.log")))
                    .isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static long qemus(Path runDir) {
        try {
            return FailingVmsVmTest.qemuProcessesMentioning(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
