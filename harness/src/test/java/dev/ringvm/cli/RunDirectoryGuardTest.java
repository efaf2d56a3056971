package dev.ringvm.cli;

import dev.ringvm.host.DirectoryLock;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.report.RunDirectory;
import dev.ringvm.testing.ChildJvm;
import dev.ringvm.testing.LockHolderMain;
import dev.ringvm.vm.ConsoleScanner;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run directory has one writer (a second run, a report or a merge on it is refused with exit 2 naming the run
 * that holds it), a bad --out is the user's error (exit 2, one line), and a directory left by a killed ringvm says
 * so. No QEMU is started: --out is claimed before anything boots.
 */
class RunDirectoryGuardTest extends CommandTest {

    private Path pathYaml() throws Exception {
        return yaml("kernels:\n  - id: a\n    source: { path: " + Files.writeString(dir.resolve("bz"), "x") + " }\n");
    }

    @Test
    void aRunDirectoryHeldByAnotherRunIsRefusedAndLeftAlone() throws Exception {
        Path y = pathYaml();
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Path first = Files.createDirectories(runDir.resolve("a-512M"));
        Files.writeString(first.resolve("results.log"), "records of the first run\n");
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, dir.resolve("holder.err"), runDir.toString())) {
            holder.awaitLine("locked ", Duration.ofSeconds(60));
            assertThat(run("run", "--kernels", y.toString(), "--out", runDir.toString())).isEqualTo(2);
            assertThat(err.toString().strip()).startsWith("ringvm: --out " + runDir + ": in use by another ringvm run (pid "
                    + holder.pid() + " on ").endsWith("; wait for it to end or choose another directory").hasLineCount(1);
            assertThat(first.resolve("results.log")).hasContent("records of the first run");
            assertThat(runDir.resolve("run.json")).doesNotExist();

            assertThat(run("report", runDir.toString())).isEqualTo(2);
            assertThat(err.toString()).contains("ringvm: " + runDir + ": in use by a running ringvm (pid " + holder.pid());
            assertThat(run("merge", "--out", runDir.toString(), runDir.toString())).isEqualTo(2);
        }
    }

    @Test
    void anOutThatIsAFileADeviceOrUnwritableIsAUsageError() throws Exception {
        Path y = pathYaml();
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThat(run("run", "--kernels", y.toString(), "--out", file.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("ringvm: --out " + file + ": not a directory (a file)");

        err.getBuffer().setLength(0);
        assertThat(run("run", "--kernels", y.toString(), "--out", "/dev/null")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("ringvm: --out /dev/null: not a directory (a device or special file)");

        err.getBuffer().setLength(0);
        Path under = file.resolve("run");
        assertThat(run("run", "--kernels", y.toString(), "--out", under.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("ringvm: --out " + under + ": cannot create the directory: ")
                .hasLineCount(1);

        // unwritable even for root: /proc refuses new directories
        err.getBuffer().setLength(0);
        assertThat(run("run", "--kernels", y.toString(), "--out", "/proc/ringvm-run")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("ringvm: --out /proc/ringvm-run: cannot create the directory: ")
                .hasLineCount(1);
    }

    @Test
    void aTimeoutThatWouldOverflowIsAUsageErrorAndLeavesNoTempDirectory() throws Exception {
        Path y = pathYaml();
        for (String t : List.of("9223372036854775807", "999999999999h", "106751991167301d", "8d")) {
            err.getBuffer().setLength(0);
            assertThat(run("run", "--kernels", y.toString(), "--timeout", t, "--out", dir.resolve("o").toString()))
                    .as(t).isEqualTo(2);
            assertThat(err.toString()).as(t).contains("--timeout").doesNotContain("internal error");
        }
        assertThat(Durations.parse("168h")).isEqualTo(Duration.ofDays(7));
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void aTenMegabyteLineIsNotEchoedBack() throws Exception {
        String huge = "x".repeat(10 << 20);
        Path y = yaml("kernels:\n  - id: \"" + huge + "!\"\n    source: { host: true }\n");
        assertThat(run("run", "--kernels", y.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("ringvm: " + y + ": " + Files.size(y)
                + " bytes, too large for a matrix file (at most 1 MiB)");

        err.getBuffer().setLength(0);
        String big = "y".repeat(100_000);
        Path ok = yaml("kernels:\n  - id: \"" + big + "!\"\n    source: { host: true }\n");
        assertThat(run("run", "--kernels", ok.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad id \"yyyy").contains("more characters)").hasLineCount(1);
        assertThat(err.toString().length()).isLessThan(1200);

        err.getBuffer().setLength(0);
        Path host = yaml("kernels:\n  - id: here\n    source: { host: true }\n");
        assertThat(run("run", "--kernels", host.toString(), "--memory", huge)).isEqualTo(2);
        assertThat(err.toString()).hasLineCount(1);
        assertThat(err.toString().length()).isLessThan(1200);
        err.getBuffer().setLength(0);
        assertThat(run("run", "--progress", huge)).isEqualTo(2);
        assertThat(err.toString().length()).isLessThan(1200);
    }

    @Test
    void aDirectoryLeftByAKilledRunSaysSoAndExits3() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("killed"));
        VmJob done = new VmJob(kernel("debian-6.12", "6.12.1"), 512);
        Path vmDir = Files.createDirectories(runDir.resolve(done.name()));
        VmResult r = new VmResult(done, VmResult.Status.COMPLETE, "", GuestRun.parse(grid("6.12.1", "ok", 0), NONCE),
                Duration.ofSeconds(9), "tcg", vmDir.resolve("console.log"), vmDir.resolve("results.log"),
                ConsoleScanner.facts(vmDir.resolve("console.log")));
        RunSummary.Context running = new RunSummary.Context(null, "fp", List.of("debian-6.12-512M", "debian-6.12-2048M"),
                false, List.of("debian-6.12-2048M"), List.of(), true, null);
        // written while the run went on (run.json: state running, this process's pid), then this "ringvm" died
        RunDirectory.write(new RunSummary(NONCE, Instant.EPOCH, Instant.EPOCH, runDir, "tcg", "test", 2, List.of(r),
                List.of(), false, running));
        assertThat(new ObjectMapper().readTree(runDir.resolve("run.json").toFile()).path("state").asText()).isEqualTo("running");
        assertThat(DirectoryLock.holder(runDir)).isEmpty();

        assertThat(run("report", runDir.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("ringvm: " + runDir + ": the run stopped early: ringvm (pid "
                + ProcessHandle.current().pid() + ") was killed before the run finished");
        assertThat(out.toString()).contains("stopped: ringvm (pid " + ProcessHandle.current().pid()
                + ") was killed before the run finished; not run: debian-6.12-2048M").contains("exit 3;");
        assertThat(runDir.resolve("report.md")).content().contains("**Stopped** (ringvm (pid");
    }
}
