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
        for (JsonNode c : as65) {
            String id = c.path("id").asText() + " " + c.path("reason").asText();
            String family = c.path("family").asText();
            if (family.equals("mem-region") || family.equals("resize-rings")) {
                assertThat(c.path("verdict").asText()).as(id).isEqualTo("UNSUPPORTED");
            } else if (family.equals("pbuf-ring") || !c.path("edge").isNull() && !c.path("edge").asText().equals("aliased")) {
                assertThat(c.path("verdict").asText()).as(id).isEqualTo("PASS");
            } else if (c.path("edge").asText().equals("aliased")) {
                // 6.5's first-equals-last check lets it through; the kernel reads SQEs from foreign memory
                assertThat(c.path("outcome").asText()).as(id).isEqualTo("ring-corrupt");
                assertThat(c.path("verdict").asText()).as(id).isEqualTo("KNOWN_BUG");
            } else {
                boolean single = c.path("caseClass").asText().equals("single-page");
                assertThat(c.path("result").asText()).as(id).isEqualTo(single ? "ok" : "EFAULT");
                assertThat(c.path("verdict").asText()).as(id).isEqualTo(single ? "PASS" : "KNOWN_BUG");
            }
        }
        for (JsonNode c : as612) {
            String id = c.path("id").asText() + " " + c.path("reason").asText();
            String family = c.path("family").asText();
            if (family.equals("mem-region") || family.equals("resize-rings")) {
                assertThat(c.path("verdict").asText()).as(id).isEqualTo("UNSUPPORTED");
            } else if (family.equals("pbuf-ring") || !c.path("edge").isNull() && !c.path("edge").asText().equals("aliased")) {
                assertThat(c.path("verdict").asText()).as(id).isEqualTo("PASS");
            } else if (c.path("edge").asText().equals("aliased")) {
                assertThat(c.path("verdict").asText()).as(id).isEqualTo("REGRESSION");
            } else {
                boolean single = c.path("caseClass").asText().equals("single-page");
                assertThat(c.path("verdict").asText()).as(id).isEqualTo(single ? "PASS" : "REGRESSION");
                if (!single) assertThat(c.path("reason").asText()).contains("EFAULT").contains("6.12");
            }
        }
        assertThat(out.toString()).contains("REGRESSION").contains("KNOWN");
    }

    static List<JsonNode> cells(JsonNode report, String kernel) {
        List<JsonNode> l = new ArrayList<>();
        report.path("cells").forEach(c -> {
            if (c.path("kernel").asText().equals(kernel)) l.add(c);
        });
        return l;
    }
}
