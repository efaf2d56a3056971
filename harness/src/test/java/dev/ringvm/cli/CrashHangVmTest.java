package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernels that misbehave in the NO_MMAP path on the case memalign/sq65 (vm-images/patches/test-*-nommap-sq65):
 * one hits BUG(), one spins forever. Both VMs must be INFRA naming that case, keep the results of the cases before
 * it, finish within the timeout, and leave no QEMU running.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class CrashHangVmTest {
    static final String CASE = "memalign/sq65";

    @Test
    void crashAndHangAreInfraNamingTheCase(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n"
                + "  - id: crash\n    source: " + TestKernels.build("test-crash-nommap-sq65.patch") + "\n"
                + "  - id: hang\n    source: " + TestKernels.build("test-hang-nommap-sq65.patch") + "\n");
        // resolve (build) first, so the timeout below measures the VMs only
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("kernels", "--kernels", yaml.toString())).as(err.toString()).isZero();

        Path runDir = dir.resolve("run");
        long t0 = System.nanoTime();
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("run",
                "--kernels", yaml.toString(), "--out", runDir.toString(), "--accel", "tcg", "--timeout", "60s");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(out);
        assertThat(exit).as(err.toString()).isEqualTo(3);
        assertThat(seconds).as("both VMs run in parallel and the hang is cut at 60 s").isLessThan(110);
        assertThat(FailingVmsVmTest.qemuProcessesMentioning(runDir)).isZero();

        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        JsonNode crash = vm(report, "crash");
        JsonNode hang = vm(report, "hang");
        assertThat(crash.path("status").asText()).isEqualTo("INCOMPLETE");
        assertThat(crash.path("interruptedCase").asText()).isEqualTo(CASE);
        assertThat(crash.path("findings").toString()).containsAnyOf("BUG", "OOPS");
        assertThat(hang.path("status").asText()).isEqualTo("TIMEOUT");
        assertThat(hang.path("interruptedCase").asText()).isEqualTo(CASE);
        for (JsonNode v : new JsonNode[] {crash, hang}) {
            assertThat(v.path("cases").asInt()).as("results before the case are kept").isEqualTo(2);
        }
        for (String kernel : new String[] {"crash", "hang"}) {
            JsonNode row = row(report, kernel);
            assertThat(row.path("verdict").asText()).isEqualTo("INFRA");
            assertThat(row.path("issues").toString()).contains(CASE);
            assertThat(ReproVerdictsVmTest.cells(report, kernel)).extracting(c -> c.path("id").asText())
                    .containsExactly("memalign/sq1", "memalign/sq64");
        }
    }

    private static JsonNode vm(JsonNode report, String kernel) {
        for (JsonNode v : report.path("vms")) if (v.path("kernel").asText().equals(kernel)) return v;
        throw new AssertionError("no VM for " + kernel);
    }

    private static JsonNode row(JsonNode report, String kernel) {
        for (JsonNode r : report.path("rows")) if (r.path("kernel").asText().equals(kernel)) return r;
        throw new AssertionError("no row for " + kernel);
    }
}
