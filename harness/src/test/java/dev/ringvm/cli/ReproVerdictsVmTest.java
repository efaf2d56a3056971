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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same 6.5 reproduction kernel judged twice: labelled as 6.5 through a kernels.yaml override its multi-page
 * EFAULTs are KNOWN_BUG; judged as the 6.12 it really is they are REGRESSION (exit 1). One build, two boots.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class ReproVerdictsVmTest {

    @Test
    void knownBugAs65RegressionAs612(@TempDir Path dir) throws Exception {
        String src = TestKernels.build("repro-6.5-nommap-efault.patch");
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n"
                + "  - id: as-6.5\n    source: " + src + "\n"
                + "    expect: { reason: \"6.12 patched to behave like 6.5\", release-as: 6.5.0 }\n"
                + "  - id: as-6.12\n    source: " + src + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("run", "--kernels", yaml.toString(), "--out", dir.resolve("run").toString(), "--accel", "tcg");
        System.out.println(out);
        assertThat(exit).as(err.toString()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(dir.resolve("run/report.json").toFile());

        List<JsonNode> as65 = cells(report, "as-6.5");
        List<JsonNode> as612 = cells(report, "as-6.12");
        assertThat(as65).hasSize(dev.ringvm.probe.Grid.defaultGrid().size());
        assertThat(as612).hasSize(dev.ringvm.probe.Grid.defaultGrid().size());
        for (JsonNode c : as65) check(c, true);
        for (JsonNode c : as612) check(c, false);
        assertThat(out.toString()).contains("REGRESSION").contains("KNOWN");
    }

    /**
     * One cell of the 6.5 reproduction, judged as 6.5 ({@code as65}) or as the 6.12 it is: the registrations 6.12 does
     * not know are UNSUPPORTED either way, buffer rings and refused edges PASS; the aliased region is corrupt (known on
     * 6.5, a regression on 6.12); every other multi-page case EFAULT (known on 6.5, a regression on 6.12).
     */
    private static void check(JsonNode c, boolean as65) {
        String id = c.path("id").asText() + " " + c.path("reason").asText();
        String family = c.path("family").asText();
        String edge = c.path("edge").asText();
        boolean single = c.path("caseClass").asText().equals("single-page");
        if (family.equals("mem-region") || family.equals("resize-rings")) {
            assertThat(c.path("verdict").asText()).as(id).isEqualTo("UNSUPPORTED");
        } else if (family.equals("pbuf-ring") || !c.path("edge").isNull() && !edge.equals("aliased") || single) {
            assertThat(c.path("verdict").asText()).as(id).isEqualTo("PASS");
        } else {
            // 6.5's first-equals-last check lets the aliased region through and it reads SQEs from foreign memory
            assertThat(c.path("result").asText()).as(id).isEqualTo(edge.equals("aliased") ? "ok" : "EFAULT");
            assertThat(c.path("outcome").asText()).as(id).isEqualTo(edge.equals("aliased") ? "ring-corrupt" : "EFAULT");
            assertThat(c.path("verdict").asText()).as(id).isEqualTo(as65 ? "KNOWN_BUG" : "REGRESSION");
            if (!as65 && !edge.equals("aliased")) assertThat(c.path("reason").asText()).contains("6.12");
        }
    }

    static List<JsonNode> cells(JsonNode report, String kernel) {
        List<JsonNode> l = new ArrayList<>();
        report.path("cells").forEach(c -> {
            if (c.path("kernel").asText().equals(kernel)) l.add(c);
        });
        return l;
    }
}
