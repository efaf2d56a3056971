package dev.ringvm.report;

import dev.ringvm.probe.protocol.RecordWriter;
import dev.ringvm.probe.protocol.RecordReader;
import dev.ringvm.model.ExitCode;
import dev.ringvm.vm.ConsoleScanner;
import dev.ringvm.config.Expectations;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class RunDirectoryTest {
    @TempDir
    Path out;

    private VmResult boot(String id, String release, int repeat, String outcome, int errno, Expectations e) throws Exception {
        VmJob job = new VmJob(kernel(id, release), 512, repeat, e);
        Path vmDir = Files.createDirectories(out.resolve(job.name()));
        Files.writeString(vmDir.resolve("console.log"), "ringvm: init at 1.50s kernel " + release + "\n");
        return new VmResult(job, VmResult.Status.COMPLETE, "", GuestRun.parse(grid(release, outcome, errno), NONCE),
                Duration.ofMillis(12345), "tcg", vmDir.resolve("console.log"), vmDir.resolve("results.log"),
                ConsoleScanner.facts(vmDir.resolve("console.log")));
    }

    @Test
    void readGivesBackWhatWriteWroteAndReRendersTheSameVerdicts() throws Exception {
        Expectations backport = new Expectations("patched like 6.5", "6.5.0", Map.of());
        RunSummary s = new RunSummary(NONCE, Instant.parse("2026-11-25T20:00:00Z"), Instant.parse("2026-11-25T20:01:00Z"),
                out, "tcg", "no kvm", 3, List.of(boot("repro", "6.12.3", 0, "EFAULT", 14, backport),
                boot("repro", "6.12.3", 1, "EFAULT", 14, backport), boot("new", "6.12.3", 0, "ok", 0, null)), List.of());
        Judgement written = RunDirectory.write(s);
        assertThat(out.resolve("run.json")).exists();
        for (String f : List.of("report.json", "junit.xml", "report.md", "report.html", "results.jsonl")) assertThat(out.resolve(f)).exists();

        RunSummary back = RunDirectory.read(out);
        assertThat(back.vms()).hasSize(3);
        assertThat(back.vms().get(1).job().name()).isEqualTo("repro-512M-r2");
        assertThat(back.vms().getFirst().job().expect()).isEqualTo(backport);
        assertThat(back.vms().getFirst().consoleLog()).isEqualTo(out.resolve("repro-512M/console.log"));
        assertThat(back.vms().getFirst().guest().cases()).hasSize(3);
        assertThat(back.vms().getFirst().guest().records()).as("results.jsonl tags removed, records read strictly")
                .allSatisfy(r -> assertThat(RecordReader.strict().read(RecordWriter.line(r), r.nonce())).isEqualTo(r));
        Judgement again = RunDirectory.render(back);
        assertThat(again.vms()).hasSize(2);
        assertThat(again.vms().getFirst().cases()).extracting(c -> c.verdict() + " " + c.reason())
                .isEqualTo(written.vms().getFirst().cases().stream().map(c -> c.verdict() + " " + c.reason()).toList());
        // 6.12 judged as 6.5.0: single page EFAULT is a regression, multi-page EFAULT the known bug
        assertThat(again.vms().getFirst().cases()).extracting(c -> c.verdict())
                .containsExactly(Verdict.REGRESSION, Verdict.KNOWN_BUG, Verdict.KNOWN_BUG);
        assertThat(again.exitCode()).isEqualTo(ExitCode.UNEXPECTED);
        assertThat(Files.readString(out.resolve("report.md"))).contains("### ringvm: unexpected results", "**REGRESSION**");
        assertThat(Files.readString(out.resolve("report.json"))).contains("\"bootSeconds\" : 1.5");
    }

    @Test
    void oldRunDirectoriesWithoutRunJsonAreReadFromReportJson() throws Exception {
        Path src = Path.of("src/test/resources/run-default");
        RunSummary s = RunDirectory.read(src);
        assertThat(s.vms()).hasSize(2);
        assertThat(s.vms()).allMatch(VmResult::complete);
        Judgement j = dev.ringvm.verdict.Judge.standard(s);
        assertThat(j.vms().getFirst().cases()).allMatch(c -> c.verdict() == Verdict.UNSUPPORTED);
        assertThat(j.vms().get(1).cases()).allMatch(c -> c.verdict() == Verdict.PASS);
        assertThat(j.exitCode()).isEqualTo(ExitCode.OK);
    }
}
