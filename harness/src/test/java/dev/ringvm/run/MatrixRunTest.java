package dev.ringvm.run;

import dev.ringvm.model.ExitCode;
import dev.ringvm.vm.ConsoleScanner;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class MatrixRunTest {

    @TempDir
    Path out;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static VmResult fake(VmJob job, Path dir, VmResult.Status status, List<String> lines) {
        return new VmResult(job, status, status == VmResult.Status.COMPLETE ? "" : "boom",
                GuestRun.parse(lines, NONCE), java.time.Duration.ofSeconds(1), "tcg", dir.resolve("console.log"),
                dir.resolve("results.log"), ConsoleScanner.facts(dir.resolve("console.log")));
    }

    @Test
    void everyVmIsPublishedAsItFinishesInMatrixOrder() throws Exception {
        List<VmJob> jobs = List.of(new VmJob(kernel("a", "6.1.0"), 512), new VmJob(kernel("a", "6.1.0"), 2048),
                new VmJob(kernel("b", "6.12.1"), 512));
        List<Integer> publishedSizes = Collections.synchronizedList(new ArrayList<>());
        VmRunner runner = (job, dir, nonce) -> fake(job, dir, VmResult.Status.COMPLETE, grid(job.kernel().release(), "ok", 0));
        RunSummary s = new MatrixRun(jobs, List.of(), runner, 2, out, NONCE, "tcg", "forced", log::add,
                sum -> publishedSizes.add(sum.vms().size()), Clock.systemUTC()).execute();
        assertThat(s.vms()).extracting(r -> r.job().name()).containsExactly("a-512M", "a-2048M", "b-512M");
        assertThat(publishedSizes).contains(0, 3).hasSizeGreaterThanOrEqualTo(4);
        assertThat(s.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(out.resolve("a-512M")).isDirectory();
    }

    /** A runner whose VMs the test lets finish; each guest costs its memory plus 256 MiB of QEMU overhead. */
    private static GatedRunner gated() {
        return new GatedRunner(job -> job.memoryMiB() + 256,
                (job, dir) -> fake(job, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0)));
    }

    /** Runs {@code run.execute()} on its own thread. */
    private static FutureTask<RunSummary> start(MatrixRun run) {
        FutureTask<RunSummary> task = new FutureTask<>(run::execute);
        Thread.ofPlatform().name("matrix-run").start(task);
        return task;
    }

    @Test
    void runningGuestsNeverSumPastTheMemoryBudget() throws Exception {
        List<VmJob> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) jobs.add(new VmJob(kernel("k" + i, "6.12.1"), 512));
        for (int i = 0; i < 4; i++) jobs.add(new VmJob(kernel("k" + i, "6.12.1"), 2048));
        GatedRunner runner = gated();
        // 3 workers, 3000 MiB: three 512 MiB guests (768 each) fit together; 2304 + 768 > 3000, so a 2 GiB guest
        // never runs beside another VM
        FutureTask<RunSummary> run = start(new MatrixRun(jobs, List.of(), runner, 3, out, NONCE, "tcg", "forced",
                log::add, sum -> { }, Clock.systemUTC()).memoryBudget(3000, 256));
        assertThat(runner.awaitSettled()).containsExactlyInAnyOrder("k0-512M", "k1-512M", "k2-512M");
        runner.finish(List.of("k0-512M"));
        assertThat(runner.awaitSettled()).containsExactlyInAnyOrder("k1-512M", "k2-512M", "k3-512M");
        runner.finish(List.of("k1-512M", "k2-512M", "k3-512M"));
        Set<String> big = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Set<String> alone = runner.awaitSettled();
            assertThat(alone).as("a 2 GiB guest runs alone").singleElement().asString().endsWith("-2048M");
            big.addAll(alone);
            runner.finish(alone);
        }
        assertThat(big).hasSize(4);
        assertThat(run.get(30, TimeUnit.SECONDS).vms()).hasSize(8);
        assertThat(runner.peakVms()).isEqualTo(3);
        assertThat(runner.peakMiB()).isLessThanOrEqualTo(3000);
    }

    @Test
    void aGuestLargerThanTheWholeBudgetStillRunsAlone() throws Exception {
        VmRunner runner = (job, dir, nonce) -> fake(job, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0));
        RunSummary alone = new MatrixRun(List.of(new VmJob(kernel("big", "6.12.1"), 4096)), List.of(), runner, 2,
                out.resolve("alone"), NONCE, "tcg", "forced", log::add, sum -> { }, Clock.systemUTC())
                .memoryBudget(1000, 256).execute();
        assertThat(alone.vms()).hasSize(1);
    }

    @Test
    void aTimedOutVmGivesExit3AndKeepsTheOthers() throws Exception {
        List<VmJob> jobs = List.of(new VmJob(kernel("hang", "6.5.0"), 512), new VmJob(kernel("ok", "6.12.1"), 512));
        VmRunner runner = (job, dir, nonce) -> job.kernel().id().equals("hang")
                ? fake(job, dir, VmResult.Status.TIMEOUT, grid("6.5.0", "ok", 0).subList(0, 2))
                : fake(job, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0));
        RunSummary s = new MatrixRun(jobs, List.of(), runner, 1, out, NONCE, "tcg", "forced", log::add, sum -> { },
                Clock.systemUTC()).execute();
        assertThat(s.exitCode()).isEqualTo(ExitCode.INFRA);
        assertThat(s.vms()).hasSize(2);
        assertThat(s.vms().get(1).guest().cases()).hasSize(3);
        assertThat(log).anyMatch(l -> l.startsWith("hang-512M: TIMEOUT"));
    }

    @Test
    void anUnavailableKernelGivesExit3OnlyWithRequireAll() throws Exception {
        List<UnavailableKernel> gone = List.of(new UnavailableKernel("x", "apt nope @ sid", "no package"));
        List<VmJob> jobs = List.of(new VmJob(kernel("ok", "6.12.1"), 512));
        VmRunner runner = (job, dir, nonce) -> fake(job, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0));
        RunSummary lenient = new MatrixRun(jobs, gone, runner, 2, out, NONCE, "tcg", "", log::add, sum -> { },
                Clock.systemUTC()).execute();
        assertThat(lenient.exitCode()).isEqualTo(ExitCode.OK);
        RunSummary strict = new MatrixRun(jobs, gone, runner, 2, out.resolve("strict"), NONCE, "tcg", "", log::add,
                sum -> { }, Clock.systemUTC(), true).execute();
        assertThat(strict.exitCode()).isEqualTo(ExitCode.INFRA);
    }

    @Test
    void anUnavailableKernelDoesNotHideAFailedVm() throws Exception {
        List<VmJob> jobs = List.of(new VmJob(kernel("hang", "6.5.0"), 512));
        VmRunner runner = (job, dir, nonce) -> fake(job, dir, VmResult.Status.TIMEOUT, List.of());
        RunSummary s = new MatrixRun(jobs, List.of(new UnavailableKernel("x", "deb http://127.0.0.1:1/x.deb", "offline")),
                runner, 1, out, NONCE, "tcg", "", log::add, sum -> { }, Clock.systemUTC()).execute();
        assertThat(s.exitCode()).isEqualTo(ExitCode.INFRA);
    }

    @Test
    void runsExactlyAsManyVmsAtOnceAsAsked() throws Exception {
        List<VmJob> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) jobs.add(new VmJob(kernel("k" + i, "6.12.1"), 512));
        GatedRunner runner = gated();
        FutureTask<RunSummary> run = start(new MatrixRun(jobs, List.of(), runner, 2, out, NONCE, "tcg", "", log::add,
                sum -> { }, Clock.systemUTC()));
        for (int i = 0; i < 6; i += 2) {
            Set<String> together = runner.awaitSettled();
            assertThat(together).as("--jobs 2: two VMs at the same time, in matrix order")
                    .containsExactlyInAnyOrder("k" + i + "-512M", "k" + (i + 1) + "-512M");
            runner.finish(together);
        }
        assertThat(run.get(30, TimeUnit.SECONDS).vms()).hasSize(6);
        assertThat(runner.peakVms()).isEqualTo(2);
    }

    @Test
    void cancelStopsLaunchingKeepsWhatFinishedAndReportsTheRestAsNotRun() throws Exception {
        List<VmJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) jobs.add(new VmJob(kernel("k" + i, "6.12.1"), 512));
        java.util.concurrent.CountDownLatch secondStarted = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        VmRunner runner = (job, dir, nonce) -> {
            if (started.incrementAndGet() == 1) return fake(job, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0));
            secondStarted.countDown();
            try {
                new java.util.concurrent.CountDownLatch(1).await(); // a VM that runs until Ctrl-C kills it
            } catch (InterruptedException e) {
                // QemuVmRunner returns how QEMU ended when the reaper kills it: not complete
                return fake(job, dir, VmResult.Status.QEMU_FAILED, List.of());
            }
            throw new AssertionError("not interrupted");
        };
        List<RunSummary> published = Collections.synchronizedList(new ArrayList<>());
        MatrixRun run = new MatrixRun(jobs, List.of(), runner, 1, out, NONCE, "tcg", "", log::add, published::add,
                Clock.systemUTC());
        Thread canceller = Thread.ofPlatform().start(() -> {
            try {
                secondStarted.await();
                run.cancel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RunSummary s = run.execute();
        canceller.join();
        assertThat(run.awaitWritten(java.time.Duration.ofSeconds(1))).isTrue();
        assertThat(started.get()).as("no VM launched after cancel").isEqualTo(2);
        assertThat(s.vms()).extracting(r -> r.job().name()).containsExactly("k0-512M");
        assertThat(s.context().interrupted()).isTrue();
        assertThat(s.context().notRun()).containsExactly("k1-512M", "k2-512M", "k3-512M", "k4-512M");
        assertThat(published.getLast().context().interrupted()).isTrue();
        run.cancel(); // idempotent after the end
    }

    @Test
    void stageEventsFollowTheConsoleAndResultsFilesOfARunningVm() throws Exception {
        VmJob job = new VmJob(kernel("a", "6.12.1"), 512);
        List<dev.ringvm.progress.ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        dev.ringvm.progress.Task task = MatrixRun.task(job);
        VmRunner runner = (j, dir, nonce) -> {
            // what QEMU writes while the guest boots and the probe runs; each step waits until the follower saw it
            java.nio.file.Path console = dir.resolve("console.log");
            java.nio.file.Path results = dir.resolve("results.log");
            List<String> lines = grid("6.12.1", "ok", 0);
            try {
                java.nio.file.Files.writeString(console, "[    0.5] Linux version 6.12.1\n");
                java.nio.file.Files.writeString(console, "ringvm: probe starting\n", java.nio.file.StandardOpenOption.APPEND);
                awaitEvent(events, new dev.ringvm.progress.ProgressEvent.StageChanged(task, dev.ringvm.progress.Stage.STARTING, ""));
                for (int i = 0; i < lines.size(); i++) {
                    java.nio.file.Files.writeString(results, lines.get(i) + "\n", java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                    // header + begin, then result + begin: case i/2 + 1 of 3 is running
                    if (i % 2 == 1 && i < 6) awaitEvent(events, new dev.ringvm.progress.ProgressEvent.Probing(task, i / 2 + 1, 3));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return fake(j, dir, VmResult.Status.COMPLETE, lines);
        };
        new MatrixRun(List.of(job), List.of(), runner, 1, out, NONCE, "tcg", "", log::add, sum -> { },
                Clock.systemUTC()).progress(events::add).execute();
        assertThat(events).first().isEqualTo(new dev.ringvm.progress.ProgressEvent.Planned(1, 1));
        assertThat(events).contains(
                new dev.ringvm.progress.ProgressEvent.StageChanged(task, dev.ringvm.progress.Stage.BOOTING, "6.12.1 with 512 MiB"),
                new dev.ringvm.progress.ProgressEvent.StageChanged(task, dev.ringvm.progress.Stage.STARTING, ""),
                new dev.ringvm.progress.ProgressEvent.Probing(task, 3, 3));
        List<Integer> caseNumbers = events.stream().filter(e -> e instanceof dev.ringvm.progress.ProgressEvent.Probing)
                .map(e -> ((dev.ringvm.progress.ProgressEvent.Probing) e).caseNo()).toList();
        assertThat(caseNumbers).as("case numbers only grow").isSorted().hasSizeGreaterThanOrEqualTo(2);
        assertThat(events).last().isEqualTo(new dev.ringvm.progress.ProgressEvent.Finished(task, "done in 1.0 s, 3 cases, 3 passed"));
        assertThat(log).as("a progress listener replaces the stage lines in the log").isEmpty();
    }

    private static void awaitEvent(List<dev.ringvm.progress.ProgressEvent> events, dev.ringvm.progress.ProgressEvent e)
            throws InterruptedException {
        Poll.until(java.time.Duration.ofSeconds(10), () -> events.contains(e), () -> "no " + e + " in " + events);
    }

    @Test
    void withoutAProgressListenerTheStageLinesGoToTheLog() throws Exception {
        VmJob job = new VmJob(kernel("a", "6.12.1"), 512);
        VmRunner runner = (j, dir, nonce) -> fake(j, dir, VmResult.Status.COMPLETE, grid("6.12.1", "ok", 0));
        new MatrixRun(List.of(job), List.of(), runner, 1, out, NONCE, "tcg", "", log::add, sum -> { },
                Clock.systemUTC()).execute();
        assertThat(log).containsExactly("a-512M: booting 6.12.1 with 512 MiB", "a-512M: done in 1.0 s, 3 cases, 3 passed");
    }
}
