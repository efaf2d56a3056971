package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernel that WARNs in the NO_MMAP setup path on memalign/sq65 and carries on
 * (vm-images/patches/test-warn-nommap-sq65.patch): the VM completes every case, and the WARNING with its call
 * trace must reach console.log (the kernel command line's loglevel lets KERN_WARNING through) and make the run
 * exit 1 with the finding in the report.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class WarnVmTest {

    @Test
    void aKernelWarningReachesTheConsoleAndFailsTheRun(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n"
                + "  - id: warn\n    source: " + TestKernels.build("test-warn-nommap-sq65.patch") + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("kernels", "--kernels", yaml.toString())).as(err.toString()).isZero();

        Path runDir = dir.resolve("run");
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("run",
                "--kernels", yaml.toString(), "--out", runDir.toString(), "--accel", "tcg", "--timeout", "120s",
                "--only", "memalign/sq6");
        System.out.println(out);
        String console = Files.readString(runDir.resolve("warn-512M/console.log"), StandardCharsets.ISO_8859_1);
        assertThat(console).contains("WARNING: CPU: ").contains("io_uring").contains("Call Trace:");
        assertThat(exit).as(err.toString()).isEqualTo(1);

        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        JsonNode vm = report.path("vms").get(0);
        assertThat(vm.path("status").asText()).isEqualTo("COMPLETE");
        assertThat(vm.path("cases").asInt()).as("sq6 filter: sq64 and sq65 of memalign, then the rest").isPositive();
        assertThat(vm.path("findings").toString()).contains("WARNING");
        // WARN() sets TAINT_WARN (bit 9, 512, letter W): the whole number, not its first digit
        assertThat(out.toString()).containsPattern("kernel became tainted during the grid: none -> [A-Z]*W[A-Z]* \\(0 -> \\d+\\)")
                .contains("(0 -> 512)");
    }
}
