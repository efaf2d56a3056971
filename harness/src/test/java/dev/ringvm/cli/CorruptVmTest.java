package dev.ringvm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernel that accepts every NO_MMAP region and maps the multi-page ones wrongly, silently
 * (vm-images/patches/test-corrupt-nommap-pagemap.patch: the kernel's page i >= 1 is the caller's page
 * (i + 1) % n). Setup succeeds and nothing reaches the console; only traffic through every SQ/CQ slot tells, so
 * every case with more than one SQE or ring page must be a REGRESSION with outcome {@code ring-corrupt}, every
 * single-page case must PASS, and the run exits 1. A probe that only sends one NOP through slot 0 passes most
 * multi-page cases here: this test is what keeps that weakness from coming back.
 */
@Tag("vm")
class CorruptVmTest {

    @Test
    void multiPageRegionsMappedInTheWrongOrderAreRingCorrupt(@TempDir Path dir) throws Exception {
        assumeTrue(RunCommand.onPath("qemu-system-x86_64"), "qemu-system-x86_64 not installed");
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n"
                + "  - id: corrupt\n    source: " + TestKernels.build("test-corrupt-nommap-pagemap.patch") + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("kernels", "--kernels", yaml.toString())).as(err.toString()).isZero();

        Path runDir = dir.resolve("run");
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("run",
                "--kernels", yaml.toString(), "--out", runDir.toString(), "--accel", "tcg");
        System.out.println(out);

        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        JsonNode vm = report.path("vms").get(0);
        assertThat(vm.path("status").asText()).as("setup never fails, nothing crashes").isEqualTo("COMPLETE");
        assertThat(vm.path("findings")).as("the corruption is silent: nothing on the console").isEmpty();
        List<JsonNode> cells = ReproVerdictsVmTest.cells(report, "corrupt");
        assertThat(cells).as("the whole default grid, one cell per case the VM ran").isNotEmpty()
                .hasSize(vm.path("cases").asInt());
        assertThat(cells).as("the grid has both kinds").anyMatch(CorruptVmTest::multiPage)
                .anyMatch(c -> !multiPage(c));
        // every cell checked before failing: the message lists all that are wrong, not the first
        SoftAssertions.assertSoftly(soft -> {
            for (JsonNode c : cells) {
                String id = c.path("id").asText() + " (sqePages " + c.path("sqePages") + ", ringPages "
                        + c.path("ringPages") + "): " + c.path("verdict").asText() + " " + c.path("outcome").asText()
                        + " " + c.path("ringError").textValue();
                soft.assertThat(c.path("result").asText()).as(id + ": setup succeeds").isEqualTo("ok");
                if (multiPage(c)) {
                    soft.assertThat(c.path("verdict").asText()).as(id).isEqualTo("REGRESSION");
                    soft.assertThat(c.path("outcome").asText()).as(id).isEqualTo("ring-corrupt");
                    soft.assertThat(c.path("ringError").textValue()).as(id + ": names the first bad slot").isNotBlank();
                } else {
                    soft.assertThat(c.path("verdict").asText()).as(id).isEqualTo("PASS");
                }
            }
        });
        assertThat(exit).as(err.toString()).isEqualTo(1);
    }

    /** More than one page in either region: the permuted view differs from the caller's from page 1 on. */
    static boolean multiPage(JsonNode cell) {
        return cell.path("sqePages").asInt() > 1 || cell.path("ringPages").asInt() > 1;
    }
}
