package dev.ringvm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmResult;
import dev.ringvm.verdict.Judge;
import dev.ringvm.verdict.Judgement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The reports say how a run really ended: the signal and its exit status, a full disk, nothing tested. */
class RunStatusTest {
    @TempDir Path dir;

    private RunSummary summary(RunSummary.Context ctx, int planned, List<UnavailableKernel> unavailable) {
        VmResult ok = vm("debian-6.12", "6.12.1", 512, grid("6.12.1", "ok", 0), VmResult.Status.COMPLETE, "");
        return new RunSummary(NONCE, Instant.parse("2026-11-25T20:00:00Z"), Instant.parse("2026-11-25T20:01:00Z"), dir,
                "tcg", "forced", planned, planned == 0 ? List.of() : List.of(ok), unavailable, false, ctx);
    }

    @Test
    void aSigtermIsNamedWithTheStatusTheProcessExitedWith() throws Exception {
        RunSummary.Context c = RunSummary.Context.NONE.interrupted(List.of("debian-6.12-2048M"))
                .stopped(RunSummary.Stop.signal("SIGTERM", 143));
        Judgement j = Judge.standard(summary(c, 2, List.of()));
        String text = TerminalMatrix.render(j, false);
        assertThat(text).contains("interrupted by SIGTERM; not run: debian-6.12-2048M")
                .contains("1 of 2 VMs complete, accel tcg, exit 143 (SIGTERM); records in").doesNotContain("exit 3")
                .doesNotContain("Ctrl-C");
        assertThat(MarkdownReport.render(j)).contains("**Interrupted** (SIGTERM, exit 143): not run: debian-6.12-2048M.")
                .doesNotContain("Ctrl-C");
        RunDirectory.write(j.run());
        JsonNode run = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("run");
        assertThat(run.path("exitCode").asInt()).isEqualTo(143);
        assertThat(run.path("stoppedBy").asText()).isEqualTo("SIGTERM");
        assertThat(run.path("state").asText()).isEqualTo("stopped");
        JsonNode file = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertThat(file.path("state").asText()).isEqualTo("stopped");
        assertThat(file.path("stop").path("reason").asText()).isEqualTo("SIGTERM");
        RunSummary back = RunDirectory.read(dir);
        assertThat(back.context().stop()).isEqualTo(RunSummary.Stop.signal("SIGTERM", 143));
        assertThat(TerminalMatrix.render(Judge.standard(back), false)).contains("exit 143 (SIGTERM)");
    }

    @Test
    void ctrlCIsSigintAndExit130() {
        RunSummary.Context c = RunSummary.Context.NONE.interrupted(List.of("x")).stopped(RunSummary.Stop.signal("SIGINT", 130));
        assertThat(TerminalMatrix.render(Judge.standard(summary(c, 2, List.of())), false))
                .contains("interrupted by SIGINT; not run: x").contains("exit 130 (SIGINT)");
    }

    @Test
    void aRunThatTestedNothingSaysSoAndExits3() throws Exception {
        Judgement j = Judge.standard(summary(RunSummary.Context.NONE, 0,
                List.of(new UnavailableKernel("k", "path /k", "kernel k: /k: truncated bzImage: 10 bytes, its header declares 2560", true))));
        assertThat(j.exitCode().code()).isEqualTo(3);
        assertThat(TerminalMatrix.render(j, false)).contains("INTEGRITY    k: kernel k: /k: truncated bzImage")
                .contains("nothing was tested: no VM and no host probe ran").contains("0 of 0 VMs complete, accel tcg, exit 3;");
        assertThat(MarkdownReport.render(j)).contains("**Nothing was tested**");
        RunDirectory.write(j.run());
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.path("run").path("nothingTested").asBoolean()).isTrue();
        assertThat(report.path("unavailable").get(0).path("integrity").asBoolean()).isTrue();
    }

    @Test
    void aFullDiskIsSaidWithWhereAndExit3() {
        RunSummary.Context c = RunSummary.Context.NONE.interrupted(List.of("b-512M"))
                .stopped(new RunSummary.Stop("disk full: /runs/x/b-512M (0 bytes free); no further VM was started", 3));
        Judgement j = Judge.standard(summary(c, 2, List.of()));
        assertThat(j.exitCode().code()).isEqualTo(3);
        assertThat(TerminalMatrix.render(j, false))
                .contains("stopped: disk full: /runs/x/b-512M (0 bytes free); no further VM was started; not run: b-512M")
                .contains("exit 3;");
    }
}
