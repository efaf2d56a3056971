package dev.ringvm.report;

import dev.ringvm.probe.protocol.CaseClass;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {

    @TempDir
    Path out;

    private RunSummary summary() {
        VmResult old = vm("debian-6.1", "6.1.0-40-cloud-amd64", 512, grid("6.1.0-40-cloud-amd64", "EINVAL", 22),
                VmResult.Status.COMPLETE, "");
        VmResult good = vm("debian-6.12", "6.12.57+deb13-cloud-amd64", 2048,
                grid("6.12.57+deb13-cloud-amd64", "ok", 0), VmResult.Status.COMPLETE, "");
        VmResult crashed = vm("repro", "6.5.0", 512, grid("6.5.0", "ok", 0).subList(0, 4),
                VmResult.Status.INCOMPLETE, "no end record: probe stopped during memalign/sq128");
        return new RunSummary(NONCE, Instant.parse("2026-11-25T20:00:00Z"), Instant.parse("2026-11-25T20:01:00Z"),
                out, "tcg", "KVM unusable", 4, List.of(old, good, crashed),
                List.of(new UnavailableKernel("gone", "apt x @ sid", "no package matches x")));
    }

    @Test
    void terminalMatrixShowsCountsAndErrnosPerCaseClass() {
        String text = TerminalMatrix.render(dev.ringvm.verdict.Judge.standard(summary()));
        List<String> lines = text.lines().toList();
        assertThat(lines.getFirst()).contains("kernel", "release", "mem", "single-page", "multi-4k", "multi-hugetlb", "multi-thp");
        assertThat(lines.get(1)).contains("debian-6.1", "6.1.0-40-cloud-…", "512M", "UNSUP 0/1 ", "UNSUP 0/2 ")
                .doesNotContain("EINVAL");
        assertThat(lines.get(2)).contains("debian-6.12", "2048M", "PASS 1/1 ", "PASS 2/2 ").doesNotContain("1/1 ok");
        assertThat(lines.get(3)).contains("repro", "INCOMPLETE", "PASS 1/1");
        assertThat(text).contains("INFRA  repro-512M vm: INCOMPLETE: no end record: probe stopped during memalign/sq128")
                .contains("UNSUPPORTED  debian-6.1-512M single-page, multi-4k: 3 cases, e.g. memalign/sq1: EINVAL: 6.1.y does not know IORING_SETUP_NO_MMAP")
                .contains("UNAVAILABLE  gone: no package matches x")
                .contains("2 of 4 VMs complete")
                .contains("exit 3")
                .doesNotContain("\u001b[");
        assertThat(TerminalMatrix.render(dev.ringvm.verdict.Judge.standard(summary()), true)).contains("\u001b[32mPASS 1/1");
    }

    @Test
    void everyRowShowsArchitecturePageAndHugePageSize() throws Exception {
        VmResult x86 = vm("debian-6.12", "6.12.57+deb13-cloud-amd64", 512, grid("6.12.57+deb13-cloud-amd64", "ok", 0),
                VmResult.Status.COMPLETE, "");
        List<String> lines = new java.util.ArrayList<>(grid("6.12.117+deb13-arm64-16k", "ok", 0));
        dev.ringvm.probe.protocol.Header h = dev.ringvm.run.Fixtures.header("6.12.117+deb13-arm64-16k", 0L);
        lines.set(0, dev.ringvm.run.Fixtures.line(new dev.ringvm.probe.protocol.Header(h.nonce(), h.probeVersion(),
                h.release(), "aarch64", 16384, 32768L, 4L, 4L, h.thpEnabled(), h.memlockSoft(), h.memlockHard(), h.uid(),
                h.capIpcLock(), h.ioUringDisabled(), h.tainted(), h.grid(), h.cases(), h.processStartMillis(),
                h.uptimeMillis())));
        VmResult base = vm("debian-6.12-arm64-16k", "6.12.117+deb13-arm64-16k", 512, lines, VmResult.Status.COMPLETE, "");
        dev.ringvm.model.ResolvedKernel k = base.job().kernel();
        VmResult arm = new VmResult(new dev.ringvm.model.VmJob(new dev.ringvm.model.ResolvedKernel(k.id(), k.source(),
                k.image(), k.sha256(), k.release(), k.versionString(), null, null, dev.ringvm.config.Arch.ARM64, 16), 512),
                base.status(), base.detail(), base.guest(), base.wall(), base.accel(), base.consoleLog(), base.resultsLog(),
                base.console());
        RunSummary s = new RunSummary(NONCE, Instant.EPOCH, Instant.EPOCH, out, "tcg", "", 2, List.of(x86, arm), List.of());
        List<String> matrix = TerminalMatrix.render(dev.ringvm.verdict.Judge.standard(s)).lines().toList();
        assertThat(matrix.getFirst()).contains("arch page/huge");
        assertThat(matrix.get(1)).contains("debian-6.12 ", "x86-64 4K/2M");
        assertThat(matrix.get(2)).contains("debian-6.12-arm64-16k", "arm64 16K/32M");
        assertThat(matrix.subList(0, 3)).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(160));

        RunDirectory.write(s);
        JsonNode root = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode row = root.path("rows").get(1);
        assertThat(row.path("arch").asText()).isEqualTo("arm64");
        assertThat(row.path("pageKiB").asInt()).isEqualTo(16);
        assertThat(row.path("hugePageKiB").asLong()).isEqualTo(32768);
        assertThat(root.path("vms").get(1).path("arch").asText()).isEqualTo("arm64");
        assertThat(root.path("vms").get(1).path("imagePageKiB").asInt()).isEqualTo(16);
        assertThat(root.path("cells").get(3).path("pageKiB").asInt()).isEqualTo(16);
        assertThat(root.path("rows").get(0).path("arch").asText()).isEqualTo("x86-64");
        // run.json keeps the architecture: re-rendering the directory gives the same row
        assertThat(TerminalMatrix.render(RunDirectory.judge(RunDirectory.read(out))).lines().toList().get(2))
                .contains("arm64 16K/32M");
    }

    @Test
    void cellMixesCountsWhenOutcomesDiffer() {
        List<String> lines = new java.util.ArrayList<>(List.of(header("6.5.0"),
                result(0, "anon", 128, 2, 1, "ok", 0), result(1, "anon", 256, 4, 1, "EINVAL", 22),
                result(2, "anon", 512, 8, 1, "EFAULT", 14), result(3, "anon", 1024, 16, 1, "EINVAL", 22)));
        lines.add(end(4));
        var row = dev.ringvm.verdict.Judge.standard(new dev.ringvm.model.RunSummary(NONCE, java.time.Instant.EPOCH,
                java.time.Instant.EPOCH, java.nio.file.Path.of("/out"), "tcg", "", 1,
                List.of(vm("k", "6.5.0", 512, lines, dev.ringvm.model.VmResult.Status.COMPLETE, "")), List.of())).vms().getFirst();
        assertThat(row.column(CaseClass.MULTI_ANON).summary()).isEqualTo("1/4 EFAULT×1 EINVAL×2");
        assertThat(row.column(CaseClass.MULTI_THP).summary()).isEqualTo("-");
    }

    @Test
    void reportJsonHasTheDocumentedCellFields() throws Exception {
        RunSummary s = summary();
        RunDirectory.write(s);
        JsonNode root = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(root.path("run").path("exitCode").asInt()).isEqualTo(3);
        JsonNode cells = root.path("cells");
        assertThat(cells).hasSize(3 + 3 + 1);
        assertThat(cells.get(0).path("verdict").asText()).isEqualTo("UNSUPPORTED");
        assertThat(cells.get(3).path("verdict").asText()).isEqualTo("PASS");
        assertThat(cells.get(6).path("verdict").asText()).as("6.5.0 single-page ok").isEqualTo("PASS");
        assertThat(cells.get(0).path("reason").asText()).contains("6.1.y");
        assertThat(root.path("rows").get(2).path("verdict").asText()).isEqualTo("INFRA");
        assertThat(root.path("vms").get(0).has("findings")).isTrue();
        JsonNode first = cells.get(0);
        for (String f : List.of("kernel", "release", "memoryMiB", "backing", "sqEntries", "cqEntries", "cqsize",
                "ringPages", "sqePages", "result", "errno", "ringWorks", "fallbackOk")) {
            assertThat(first.has(f)).as(f).isTrue();
        }
        assertThat(first.path("kernel").asText()).isEqualTo("debian-6.1");
        assertThat(first.path("result").asText()).isEqualTo("EINVAL");
        assertThat(first.path("errno").asInt()).isEqualTo(22);
        assertThat(first.path("cqEntries").isNull()).isTrue();
        assertThat(first.path("sqePageKiB").asInt()).as("extra probe fields kept").isEqualTo(4);
        assertThat(first.has("nonce")).isFalse();
        assertThat(root.path("vms").get(2).path("interruptedCase").asText()).isEqualTo("memalign/sq128");
        assertThat(root.path("unavailable").get(0).path("kernel").asText()).isEqualTo("gone");
        assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(8 + 8 + 4)
                .allMatch(l -> l.startsWith("{\"vm\":"));
    }

    @Test
    void junitXmlHasASuitePerVmAndAFailurePerFailedCase() throws Exception {
        RunDirectory.write(summary());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("junit.xml").toFile());
        var suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(4);
        Element old = (Element) suites.item(0);
        assertThat(old.getAttribute("name")).isEqualTo("debian-6.1-512M");
        assertThat(old.getAttribute("failures")).isEqualTo("0");
        assertThat(old.getAttribute("skipped")).isEqualTo("3");
        Element skipped = (Element) old.getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).startsWith("UNSUPPORTED: EINVAL: 6.1.y does not know");
        Element good = (Element) suites.item(1);
        assertThat(good.getAttribute("failures")).isEqualTo("0");
        assertThat(good.getElementsByTagName("testcase").getLength()).isEqualTo(3);
        Element crashed = (Element) suites.item(2);
        assertThat(crashed.getAttribute("errors")).isEqualTo("1");
        assertThat(((Element) crashed.getElementsByTagName("error").item(0)).getAttribute("message"))
                .contains("INCOMPLETE", "memalign/sq128");
        assertThat(((Element) suites.item(3)).getAttribute("name")).isEqualTo("gone");
    }

    @Test
    void aCaseOfAnotherFamilyHasNoFallbackRingAndEveryReportIsWritten() throws Exception {
        dev.ringvm.probe.protocol.Result r = with(typedResult(0, "anon", 1024, 0, 4, "ok", 0), f -> {
            f.put("id", "pbuf-ring/anon/bufs1024");
            f.put("family", "pbuf-ring");
            f.put("fallbackOk", null);
            f.put("fallbackResult", null);
            f.put("ringWorks", false);
            f.put("badSlot", 5L);
            f.put("ringError", "buffer ring entry 5 (read 5): expected buffer id 1018, saw 1017");
        });
        List<String> lines = List.of(header("7.3.4+deb13-cloud-amd64"),
                line(new dev.ringvm.probe.protocol.Begin(NONCE, r.spec())), line(r), end(1));
        VmResult vm = vm("debian-7.x", "7.3.4+deb13-cloud-amd64", 512, lines, VmResult.Status.COMPLETE, "");
        RunDirectory.write(new RunSummary(NONCE, Instant.parse("2026-12-02T02:00:00Z"),
                Instant.parse("2026-12-02T02:01:00Z"), out, "tcg", "", 1, List.of(vm), List.of()));
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("pbuf-ring/anon/bufs1024", "fallback not tried");
        assertThat(Files.readString(out.resolve("report.md"))).contains("pbuf-ring");
        assertThat(TerminalMatrix.render(dev.ringvm.verdict.Judge.standard(RunDirectory.read(out)))).contains("user-mem")
                .contains("REGR 0/1 ring-corrupt");
    }
}
