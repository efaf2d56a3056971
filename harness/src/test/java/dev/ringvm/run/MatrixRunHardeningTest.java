package dev.ringvm.run;

import dev.ringvm.model.ExitCode;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.vm.ConsoleScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** How a matrix run ends when the world misbehaves: a full disk, nothing to test, a corrupt kernel, a kill. */
class MatrixRunHardeningTest {

    @TempDir
    Path out;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static VmResult fake(VmJob job, Path dir, VmResult.Status status, List<String> lines) {
        return new VmResult(job, status, status == VmResult.Status.COMPLETE ? "" : "powered off without the probe's end record",
                GuestRun.parse(lines, NONCE), java.time.Duration.ofSeconds(1), "tcg", dir.resolve("console.log"),
                dir.resolve("results.log"), ConsoleScanner.facts(dir.resolve("console.log")));
    }

    @Test
    void aFullDiskIsReportedAsSuchNotAsTheKernelsFailureAndStopsTheRun() throws Exception {
        List<VmJob> jobs = List.of(new VmJob(kernel("a", "6.12.1"), 512), new VmJob(kernel("b", "6.12.1"), 512),
                new VmJob(kernel("c", "6.12.1"), 512));
        AtomicLong free = new AtomicLong(10L << 30);
        List<String> started = new CopyOnWriteArrayList<>();
        VmRunner runner = (job, dir, nonce) -> {
            started.add(job.name());
            if (job.kernel().id().equals("a")) return fake(job, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0));
            // b's serial output hit a full disk: QEMU dropped the rest of its records
            free.set(512);
            return fake(job, dir, VmResult.Status.INCOMPLETE, grid("6.12.1", "ok", 0).subList(0, 3));
        };
        RunSummary s = new MatrixRun(jobs, List.of(), runner, 1, out, NONCE, "tcg", "forced", log::add, sum -> { },
                Clock.systemUTC()).freeSpace(dir -> free.get()).execute();
        assertThat(started).containsExactly("a-512M", "b-512M");
        assertThat(s.vms()).extracting(r -> r.job().name()).containsExactly("a-512M");
        assertThat(s.context().interrupted()).isTrue();
        assertThat(s.context().notRun()).containsExactly("b-512M", "c-512M");
        assertThat(s.context().stop().reason()).isEqualTo("disk full: " + out.resolve("b-512M").toAbsolutePath()
                + " (512 bytes free); no further VM was started");
        assertThat(s.exitCode()).isEqualTo(ExitCode.INFRA);
        assertThat(log).contains("b-512M: not judged: " + s.context().stop().reason());
    }

    @Test
    void reportsThatCannotBeWrittenForLackOfSpaceStopTheRunAndAreRemembered() throws Exception {
        List<VmJob> jobs = List.of(new VmJob(kernel("a", "6.12.1"), 512), new VmJob(kernel("b", "6.12.1"), 512));
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        MatrixRun run = new MatrixRun(jobs, List.of(), (job, dir, nonce) -> fake(job, dir, VmResult.Status.COMPLETE,
                grid("6.12.1", "ok", 0)), 1, out, NONCE, "tcg", "forced", log::add, sum -> {
                    attempts.add(sum.vms().size());
                    if (!sum.vms().isEmpty()) throw new IOException("report.json: No space left on device");
                }, Clock.systemUTC());
        RunSummary s = run.execute();
        assertThat(s.vms()).hasSize(1);
        assertThat(s.context().stop().reason()).startsWith("disk full: " + out.toAbsolutePath());
        assertThat(s.exitCode()).isEqualTo(ExitCode.INFRA);
        assertThat(run.writeFailure()).hasMessageContaining("No space left on device");
    }

    @Test
    void whileRunningRunJsonSaysSoAndListsWhatIsStillToRun() throws Exception {
        List<VmJob> jobs = List.of(new VmJob(kernel("a", "6.12.1"), 512), new VmJob(kernel("b", "6.12.1"), 512));
        GatedRunner runner = new GatedRunner(job -> 0,
                (job, dir) -> fake(job, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0)));
        List<RunSummary> published = new CopyOnWriteArrayList<>();
        FutureTask<RunSummary> task = new FutureTask<>(new MatrixRun(jobs, List.of(), runner, 1, out, NONCE, "tcg",
                "forced", log::add, published::add, Clock.systemUTC())::execute);
        Thread.ofPlatform().start(task);
        assertThat(runner.awaitSettled()).containsExactly("a-512M");
        RunSummary first = published.getFirst();
        assertThat(first.context().running()).isTrue();
        assertThat(first.context().notRun()).containsExactly("a-512M", "b-512M");
        assertThat(first.context().interrupted()).isFalse();
        runner.finish(List.of("a-512M"));
        assertThat(runner.awaitSettled()).containsExactly("b-512M");
        RunSummary middle = published.getLast();
        assertThat(middle.context().running()).isTrue();
        assertThat(middle.context().notRun()).containsExactly("b-512M");
        runner.finish(List.of("b-512M"));
        RunSummary end = task.get(30, TimeUnit.SECONDS);
        assertThat(end.context().running()).isFalse();
        assertThat(end.context().notRun()).isEmpty();
        assertThat(end.exitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void aRunThatTestedNothingExits3() throws Exception {
        RunSummary s = new MatrixRun(List.of(), List.of(new UnavailableKernel("x", "deb http://127.0.0.1:1/x.deb",
                "cannot connect")), (job, dir, nonce) -> { throw new AssertionError("no job"); }, 1, out, NONCE, "none",
                "", log::add, sum -> { }, Clock.systemUTC()).execute();
        assertThat(s.nothingTested()).isTrue();
        assertThat(s.exitCode()).isEqualTo(ExitCode.INFRA);
    }

    @Test
    void anIntegrityFailureExits3WithoutRequireAllAnOfflineKernelDoesNot() throws Exception {
        List<VmJob> jobs = List.of(new VmJob(kernel("ok", "6.12.1"), 512));
        VmRunner runner = (job, dir, nonce) -> fake(job, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0));
        UnavailableKernel offline = new UnavailableKernel("x", "deb http://127.0.0.1:1/x.deb", "cannot connect");
        UnavailableKernel corrupt = new UnavailableKernel("y", "path /k", "/k: truncated bzImage", true);
        assertThat(new MatrixRun(jobs, List.of(offline), runner, 1, out.resolve("a"), NONCE, "tcg", "", log::add,
                sum -> { }, Clock.systemUTC()).execute().exitCode()).isEqualTo(ExitCode.OK);
        assertThat(new MatrixRun(jobs, List.of(offline, corrupt), runner, 1, out.resolve("b"), NONCE, "tcg", "",
                log::add, sum -> { }, Clock.systemUTC()).execute().exitCode()).isEqualTo(ExitCode.INFRA);
    }
}
