package dev.ringvm.cli;

import dev.ringvm.vm.ConsoleScanner;
import dev.ringvm.report.RunDirectory;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class ReportDiffCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    }

    private Path runDir(String name, String outcome612) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        VmResult a = vm(dir, "debian-6.1", "6.1.0-50-cloud-amd64", grid("6.1.0-50-cloud-amd64", "EINVAL", 22));
        VmResult b = vm(dir, "debian-6.12", "6.12.117+deb13-cloud-amd64", grid("6.12.117+deb13-cloud-amd64", outcome612, outcome612.equals("ok") ? 0 : 22));
        RunDirectory.write(new RunSummary(NONCE, Instant.EPOCH, Instant.EPOCH, dir, "tcg", "test", 2, List.of(a, b), List.of()));
        return dir;
    }

    private static VmResult vm(Path dir, String id, String release, List<String> lines) throws Exception {
        VmJob job = new VmJob(kernel(id, release), 512);
        Path vmDir = Files.createDirectories(dir.resolve(job.name()));
        Files.writeString(vmDir.resolve("console.log"), "ringvm: init at 2.00s\n");
        return new VmResult(job, VmResult.Status.COMPLETE, "", GuestRun.parse(lines, NONCE), Duration.ofSeconds(9), "tcg",
                vmDir.resolve("console.log"), vmDir.resolve("results.log"), ConsoleScanner.facts(vmDir.resolve("console.log")));
    }

    @Test
    void reportReRendersEveryFileAndExitsWithTheVerdictCode() throws Exception {
        Path good = runDir("good", "ok");
        Files.delete(good.resolve("report.html"));
        assertThat(run("report", good.toString())).isZero();
        assertThat(good.resolve("report.html")).exists();
        assertThat(out.toString()).contains("PASS 1/1", "UNSUP 0/1", "exit 0");
        Path bad = runDir("bad", "EINVAL");
        assertThat(run("report", bad.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("REGRESSION  debian-6.12-512M single-page, multi-4k: 3 cases");
    }

    @Test
    void reportOnSomethingThatIsNotARunDirectoryIsAUsageError() {
        assertThat(run("report", tmp.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not a run directory");
    }

    @Test
    void diffListsChangedCells() throws Exception {
        Path a = runDir("a", "ok");
        Path b = runDir("b", "EINVAL");
        assertThat(run("diff", a.toString(), a.toString())).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(run("diff", a.toString(), b.toString())).isEqualTo(1);
        assertThat(out.toString().lines().toList()).containsExactly(
                "debian-6.12-512M memalign/sq1: PASS ok -> REGRESSION EINVAL",
                "debian-6.12-512M memalign/sq128: PASS ok -> REGRESSION EINVAL",
                "debian-6.12-512M memalign/sq4096: PASS ok -> REGRESSION EINVAL");
    }
}
