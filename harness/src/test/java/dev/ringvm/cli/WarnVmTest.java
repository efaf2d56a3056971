package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        TestKernels.Run run = TestKernels.runAt512M(dir, "warn", "test-warn-nommap-sq65.patch", "--timeout", "120s",
                "--only", "memalign/sq6");
        Path runDir = run.dir();
        String console = Files.readString(runDir.resolve("warn-512M/console.log"), StandardCharsets.ISO_8859_1);
        assertThat(console).contains("WARNING: CPU: ").contains("io_uring").contains("Call Trace:");
        assertThat(run.exit()).as(run.cli().err.toString()).isEqualTo(1);

        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        JsonNode vm = report.path("vms").get(0);
        assertThat(vm.path("status").asText()).isEqualTo("COMPLETE");
        assertThat(vm.path("cases").asInt()).as("sq6 filter: sq64 and sq65 of memalign, then the rest").isPositive();
        assertThat(vm.path("findings").toString()).contains("WARNING");
        // WARN() sets TAINT_WARN (bit 9, 512, letter W): the whole number, not its first digit
        assertThat(run.cli().out.toString()).containsPattern("kernel became tainted during the grid: none -> [A-Z]*W[A-Z]* \\(0 -> \\d+\\)")
                .contains("(0 -> 512)");
    }
}
