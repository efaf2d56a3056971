package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product end to end: `ringvm run` on real Debian kernels (bookworm 6.1, trixie 6.12) from the Debian
 * archive, booted in QEMU with the real probe, at both default memory sizes. Needs QEMU, busybox-static and the
 * archive; skips with the reason when QEMU is absent, never passes silently.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebianKernelsVmTest {

    private int exit;
    private String stdout;
    private String stderr;
    private JsonNode report;

    @BeforeAll
    void runTheMatrix(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("kernels.yaml");
        Files.writeString(yaml, """
                memory: [512M, 2G]
                kernels:
                  - id: debian-6.1
                    source: { apt: "linux-image-*-cloud-amd64", suite: bookworm }
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path runDir = dir.resolve("run");
        exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("run", "--kernels", yaml.toString(), "--out", runDir.toString(), "--jobs", "2");
        stdout = out.toString();
        stderr = err.toString();
        System.out.println(stdout);
        System.err.println(stderr);
        report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
    }

    private static boolean rings(JsonNode c) {
        return c.path("family").asText().equals("rings");
    }

    private static boolean aliased(JsonNode c) {
        return c.path("edge").asText().equals("aliased");
    }

    private List<JsonNode> cells(String kernel, int mem) {
        List<JsonNode> l = new ArrayList<>();
        report.path("cells").forEach(c -> {
            if (c.path("kernel").asText().equals(kernel) && c.path("memoryMiB").asInt() == mem) l.add(c);
        });
        return l;
    }

    @Test
    void everyVmCompletesAndTheRunExitsZero() {
        assertThat(exit).as(stderr).isZero();
        assertThat(report.path("vms")).hasSize(4).allMatch(v -> v.path("status").asText().equals("COMPLETE"));
        assertThat(stdout).contains("debian-6.1", "debian-6.12", "single-page", "multi-hugetlb");
    }

    @Test
    void linux61RejectsEveryNoMmapCaseWithEinval() {
        for (int mem : List.of(512, 2048)) {
            List<JsonNode> cells = cells("debian-6.1", mem);
            assertThat(cells).hasSize(dev.ringvm.probe.Grid.defaultGrid().size());
            assertThat(cells).allSatisfy(c -> {
                assertThat(c.path("release").asText()).startsWith("6.1.");
                assertThat(c.path("result").asText()).as(c.path("id").asText()).isEqualTo("EINVAL");
                assertThat(c.path("errno").asInt()).isEqualTo(22);
                // the normal ring works on 6.1, except with NO_SQARRAY, which 6.1 does not know either
                boolean noSqArray = c.path("options").asText().contains("nosqarray");
                if (c.path("family").asText().equals("rings")) {
                    assertThat(c.path("fallbackOk").asBoolean()).as("normal ring on 6.1: " + c.path("id").asText())
                            .isEqualTo(!noSqArray);
                }
                assertThat(c.path("verdict").asText()).as(c.path("id").asText()).isEqualTo("UNSUPPORTED");
            });
        }
    }

    @Test
    void linux612AcceptsEveryCaseAndTheRingWorks() {
        for (int mem : List.of(512, 2048)) {
            List<JsonNode> cells = cells("debian-6.12", mem);
            assertThat(cells).hasSize(dev.ringvm.probe.Grid.defaultGrid().size());
            // memory the setup must refuse: refused with the errno every NO_MMAP kernel gives
            assertThat(cells).filteredOn(c -> !c.path("edge").isNull() && rings(c) && !aliased(c)).hasSize(5).allSatisfy(c -> {
                assertThat(c.path("result").asText()).as(c.path("id").asText())
                        .isEqualTo(c.path("edge").asText().equals("unaligned") ? "EINVAL" : "EFAULT");
                assertThat(c.path("verdict").asText()).as(c.path("id").asText()).isEqualTo("PASS");
            });
            // 6.12 has neither IORING_REGISTER_MEM_REGION nor RESIZE_RINGS (6.13): EINVAL, UNSUPPORTED
            assertThat(cells).filteredOn(c -> c.path("family").asText().matches("mem-region|resize-rings")).hasSize(10)
                    .allSatisfy(c -> {
                        assertThat(c.path("result").asText()).as(c.path("id").asText()).isEqualTo("EINVAL");
                        assertThat(c.path("verdict").asText()).as(c.path("id").asText()).isEqualTo("UNSUPPORTED");
                    });
            // provided buffer rings: every read got the buffer its entry names, 2 x entries reads
            assertThat(cells).filteredOn(c -> c.path("family").asText().equals("pbuf-ring")).hasSize(5).allSatisfy(c -> {
                assertThat(c.path("verdict").asText()).as(c.path("id").asText()).isEqualTo("PASS");
                assertThat(c.path("completions").asInt()).as(c.path("id").asText()).isEqualTo(2 * c.path("sqEntries").asInt());
            });
            assertThat(cells).filteredOn(c -> (c.path("edge").isNull() || aliased(c)) && rings(c)).allSatisfy(c -> {
                String id = c.path("id").asText();
                assertThat(c.path("release").asText()).startsWith("6.12.");
                assertThat(c.path("result").asText()).as(id).isEqualTo("ok");
                assertThat(c.path("ringWorks").asBoolean()).as(id).isTrue();
                assertThat(c.path("guardsIntact").asBoolean()).as(id).isTrue();
                assertThat(c.path("fallbackOk").asBoolean()).as(id).isTrue();
                // traffic through every slot: 2 x CQ entries completed, both rings wrapped at least twice
                assertThat(c.path("completions").asInt()).as(id).isEqualTo(2 * c.path("actualCq").asInt());
                assertThat(c.path("badSlot").isNull()).as(id).isTrue();
            });
            // THP is real at both sizes (the init turns it on; the kernel turns it off below 512 MiB of RAM)
            assertThat(cells).filteredOn(c -> c.path("backing").asText().equals("thp") && rings(c))
                    .allMatch(c -> c.path("sqePageKiB").asInt() == 2048 && c.path("ringPageKiB").asInt() == 2048);
            // the hugetlb cases really ran in 2 MiB pages (the harness reserves them on the command line)
            assertThat(cells).filteredOn(c -> c.path("backing").asText().equals("hugetlb") && rings(c))
                    .allMatch(c -> c.path("sqePageKiB").asInt() == 2048 && c.path("ringPageKiB").asInt() == 2048);
        }
    }
}
