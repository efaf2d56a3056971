package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class CorruptVmTest {

    @Test
    void multiPageRegionsMappedInTheWrongOrderAreRingCorrupt(@TempDir Path dir) throws Exception {
        TestKernels.Run run = TestKernels.runAt512M(dir, "corrupt", "test-corrupt-nommap-pagemap.patch");

        JsonNode report = new ObjectMapper().readTree(run.dir().resolve("report.json").toFile());
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
                String family = c.path("family").asText();
                if (family.equals("mem-region") || family.equals("resize-rings")) {
                    soft.assertThat(c.path("verdict").asText()).as(id + ": 6.12 has no such registration")
                            .isEqualTo("UNSUPPORTED");
                    continue;
                }
                if (family.equals("pbuf-ring")) {
                    soft.assertThat(c.path("verdict").asText()).as(id + ": buffer rings are not mapped by the patched"
                            + " __io_uaddr_map").isEqualTo("PASS");
                    continue;
                }
                if (!c.path("edge").isNull() && !c.path("edge").asText().equals("aliased")) {
                    // memory the setup must refuse is refused on this kernel too: its patch changes no check
                    soft.assertThat(c.path("verdict").asText()).as(id).isEqualTo("PASS");
                    continue;
                }
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
        assertThat(run.exit()).as(run.cli().err.toString()).isEqualTo(1);
    }

    /** More than one page in either region: the permuted view differs from the caller's from page 1 on. */
    static boolean multiPage(JsonNode cell) {
        return cell.path("sqePages").asInt() > 1 || cell.path("ringPages").asInt() > 1;
    }
}
