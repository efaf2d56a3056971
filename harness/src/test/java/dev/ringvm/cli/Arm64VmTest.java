package dev.ringvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * arm64 guests end to end through {@code ringvm run}: Debian trixie's arm64 kernels with 4 KiB and 16 KiB pages under
 * qemu-system-aarch64 (TCG), and the 6.5 rule's page boundary moving with the page size (repro-6.5 on x86-64 beside
 * the same patch cross-built for arm64 with 16 KiB pages).
 */
@Tag("vm")
class Arm64VmTest {
    /** The repository root (tests run in harness/). */
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    record Run(int exit, String stdout, String stderr, JsonNode report) {
        List<JsonNode> cells(String kernel) {
            List<JsonNode> out = new ArrayList<>();
            report.path("cells").forEach(c -> { if (c.path("kernel").asText().equals(kernel)) out.add(c); });
            return out;
        }

        JsonNode row(String kernel) {
            for (JsonNode r : report.path("rows")) if (r.path("kernel").asText().equals(kernel)) return r;
            throw new AssertionError("no row " + kernel + " in report.json");
        }

        JsonNode cell(String kernel, String id) {
            return cells(kernel).stream().filter(c -> c.path("id").asText().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no case " + id + " for " + kernel));
        }
    }

    static Run run(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("kernels.yaml");
        Files.writeString(file, yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path runDir = dir.resolve("run");
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("run", "--kernels", file.toString(), "--out", runDir.toString(), "--jobs", "2");
        System.out.println(out);
        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        return new Run(exit, out.toString(), err.toString(), report);
    }

    /**
     * Debian 6.12 for arm64 with 4K and with 16K pages: every case as on x86-64 6.12 (PASS, and UNSUPPORTED only for
     * what 6.13 added), classes counted in the guest's pages, huge pages of the granule's size.
     */
    @Test
    @Requires({Capability.QEMU_AARCH64, Capability.DEBIAN_ARCHIVE})
    void debianArm64KernelsOf4kAnd16kPagesPassEveryCase(@TempDir Path dir) throws Exception {
        Run r = run(dir, """
                memory: [512M]
                kernels:
                  - id: debian-6.12-arm64
                    arch: arm64
                    source: { apt: "linux-image-*+deb13-arm64", suite: trixie }
                  - id: debian-6.12-arm64-16k
                    arch: arm64
                    source: { apt: "linux-image-*-arm64-16k", suite: trixie }
                """);
        assertThat(r.report().path("vms")).as(r.stderr()).hasSize(2)
                .allMatch(v -> v.path("status").asText().equals("COMPLETE") && v.path("arch").asText().equals("arm64"));
        assertThat(r.report().path("run").path("accel").asText()).isEqualTo("tcg");
        assertThat(r.row("debian-6.12-arm64").path("pageKiB").asInt()).isEqualTo(4);
        assertThat(r.row("debian-6.12-arm64").path("hugePageKiB").asLong()).isEqualTo(2048);
        assertThat(r.row("debian-6.12-arm64-16k").path("pageKiB").asInt()).isEqualTo(16);
        assertThat(r.row("debian-6.12-arm64-16k").path("hugePageKiB").asLong()).isEqualTo(32768);
        assertThat(r.stdout()).contains("arm64 4K/2M", "arm64 16K/32M");
        SoftAssertions.assertSoftly(soft -> {
            for (String k : List.of("debian-6.12-arm64", "debian-6.12-arm64-16k")) {
                List<JsonNode> cells = r.cells(k);
                soft.assertThat(cells).as(k).hasSize(107);
                for (JsonNode c : cells) {
                    String what = k + " " + c.path("id").asText() + ": " + c.path("verdict").asText() + " "
                            + c.path("reason").asText();
                    if (c.path("verdict").asText().equals("UNSUPPORTED")) {
                        soft.assertThat(c.path("reason").asText()).as(what).contains("(added in 6.13)");
                    } else {
                        soft.assertThat(c.path("verdict").asText()).as(what).isEqualTo("PASS");
                    }
                }
            }
        });
        // 128 SQEs are 8 KiB: two pages of 4 KiB, one page of 16 KiB
        assertThat(r.cell("debian-6.12-arm64", "memalign/sq128/cq128").path("caseClass").asText()).isEqualTo("memalign");
        assertThat(r.cell("debian-6.12-arm64-16k", "memalign/sq128/cq128").path("caseClass").asText())
                .isEqualTo("single-page");
        assertThat(r.cell("debian-6.12-arm64-16k", "hugetlb/sq1024").path("sqePageKiB").asInt()).isEqualTo(32768);
        assertThat(r.exit()).as(r.stderr()).isZero();
    }

    /**
     * The 6.5 rule (a region over one page fails with EFAULT) on x86-64 and on arm64 with 16 KiB pages, one run: the
     * cases whose regions are 2-4 pages of 4 KiB fail on x86-64 and pass on arm64 16K, where they fit in one page;
     * regions over 16 KiB fail on both.
     */
    @Test
    @Requires({Capability.QEMU, Capability.QEMU_AARCH64, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS,
            Capability.ARM64_CROSS_GCC, Capability.DEBIAN_ARCHIVE})
    void theSixFiveBoundaryMovesWithThePageSize(@TempDir Path dir) throws Exception {
        String build = """
                    source:
                      build:
                        debian-source: linux-source-6.12
                        suite: trixie
                        config: tinyconfig
                        fragments: [%s]
                        patches: [%s]
                    expect: { reason: "6.12 patched to reinstate the 6.5 NO_MMAP rule", release-as: 6.5.0 }
                """;
        String patch = REPO.resolve("vm-images/patches/repro-6.5-nommap-efault.patch").toString();
        Path configs = REPO.resolve("vm-images/kernel-config");
        Run r = run(dir, "memory: [512M]\nkernels:\n  - id: repro-6.5\n"
                + build.formatted(configs.resolve("ringvm-guest.config"), patch)
                + "  - id: repro-6.5-arm64-16k\n    arch: arm64\n"
                + build.formatted(configs.resolve("ringvm-guest-arm64.config") + ", "
                        + configs.resolve("ringvm-arm64-16k.config"), patch));
        assertThat(r.report().path("vms")).as(r.stderr()).hasSize(2)
                .allMatch(v -> v.path("status").asText().equals("COMPLETE"));
        assertThat(r.row("repro-6.5").path("pageKiB").asInt()).isEqualTo(4);
        assertThat(r.row("repro-6.5-arm64-16k").path("pageKiB").asInt()).isEqualTo(16);
        // SQEs of 128 entries are 8 KiB
        assertThat(r.cell("repro-6.5", "memalign/sq128/cq128").path("result").asText()).isEqualTo("EFAULT");
        assertThat(r.cell("repro-6.5-arm64-16k", "memalign/sq128/cq128").path("result").asText()).isEqualTo("ok");
        Map<String, JsonNode> arm = new HashMap<>();
        for (JsonNode c : r.cells("repro-6.5-arm64-16k")) arm.put(c.path("id").asText(), c);
        int moved = 0;
        int both = 0;
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode x86 : r.cells("repro-6.5")) {
            // the NO_MMAP rings in the 4 KiB-page backings; hugetlb and THP regions are in huge pages on both
            if (!x86.path("family").asText().equals("rings") || !x86.path("edge").isNull()
                    || !List.of("memalign", "anon", "shared").contains(x86.path("backing").asText())) continue;
            JsonNode a = arm.get(x86.path("id").asText());
            long bytes = Math.max(x86.path("sqeBytes").asLong(), x86.path("ringBytes").asLong());
            String what = x86.path("id").asText() + " (" + bytes + " bytes): x86-64 " + x86.path("result").asText()
                    + ", arm64 16K " + a.path("result").asText();
            int pages4k = (int) ((bytes + 4095) / 4096);
            if (pages4k >= 2 && bytes <= 16384 && x86.path("layout").asText().equals("separate")) {
                soft.assertThat(x86.path("result").asText()).as(what).isEqualTo("EFAULT");
                soft.assertThat(a.path("result").asText()).as(what).isEqualTo("ok");
                soft.assertThat(a.path("verdict").asText()).as(what).isEqualTo("PASS");
                moved++;
            } else if (bytes > 16384) {
                soft.assertThat(x86.path("result").asText()).as(what).isEqualTo("EFAULT");
                soft.assertThat(a.path("result").asText()).as(what).isEqualTo("EFAULT");
                soft.assertThat(a.path("verdict").asText()).as(what).isEqualTo("KNOWN_BUG");
                both++;
            }
        }
        soft.assertAll();
        assertThat(moved).as("cases of 2-4 pages of 4 KiB").isGreaterThanOrEqualTo(3);
        assertThat(both).as("cases over 16 KiB").isGreaterThanOrEqualTo(3);
        assertThat(r.exit()).as(r.stderr()).isZero();
    }
}
