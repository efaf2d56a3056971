package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure paths with real QEMU: a VM that hits the boot timeout is killed and reported (exit 3), an image that
 * is not a kernel is reported unavailable naming the file, the run directory still has its reports, and no
 * QEMU outlives the run.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
class FailingVmsVmTest {

    @TempDir
    Path dir;

    @Test
    void timeoutAndBadImageAreInfrastructureFailuresWithReports() throws Exception {
        Path junk = Files.writeString(dir.resolve("not-a-kernel"), "this is not a bzImage\n".repeat(100));
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M]
                kernels:
                  - id: slow
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                  - id: junk
                    source: { path: not-a-kernel }
                """);
        Path runDir = dir.resolve("run");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("run",
                "--kernels", yaml.toString(), "--out", runDir.toString(), "--timeout", "3s", "--accel", "tcg");
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(exit).as(err.toString()).isEqualTo(3);
        assertThat(seconds).as("a 3 s timeout must not take minutes (guest image cached by earlier tests or built once)")
                .isLessThan(120);
        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        JsonNode vm = report.path("vms").get(0);
        assertThat(vm.path("status").asText()).isEqualTo("TIMEOUT");
        assertThat(vm.path("detail").asText()).startsWith("killed after the 3 s timeout");
        assertThat(report.path("unavailable").get(0).path("kernel").asText()).isEqualTo("junk");
        assertThat(report.path("unavailable").get(0).path("reason").asText()).contains("not-a-kernel");
        // not a kernel image: an integrity failure (it fails the run whatever the options)
        assertThat(out.toString()).contains("INFRA  slow-512M vm: TIMEOUT").contains("INTEGRITY    junk: ");
        assertThat(report.path("unavailable").get(0).path("integrity").asBoolean()).isTrue();
        assertThat(runDir.resolve("junit.xml")).exists();
        assertThat(qemuProcessesMentioning(runDir)).as("no QEMU outlives the run").isZero();
    }

    /** QEMU processes whose argv names a file of this run (their console log lives in the run directory). */
    static long qemuProcessesMentioning(Path runDir) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    return cmd.contains("qemu-system") && cmd.contains(runDir.toString());
                } catch (IOException e) {
                    return false; // the process ended while we looked
                }
            }).count();
        }
    }
}
