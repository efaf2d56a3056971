package dev.ringvm.run;

import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static dev.ringvm.run.Fixtures.NONCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * --retry-infra: a boot that failed before the probe began a case is booted again and every attempt is kept; a VM
 * that stopped during a case (a crash or hang in the NO_MMAP path) is never booted again.
 */
class RetryingVmRunnerTest {
    private static final String K = "k";

    /** Hands out the given results in order and writes a console log per boot, like a real runner. */
    private static final class Scripted implements VmRunner {
        final Deque<VmResult> next;
        int boots;

        Scripted(VmResult... results) {
            next = new ArrayDeque<>(List.of(results));
        }

        @Override
        public VmResult run(VmJob job, Path vmDir, String nonce) {
            boots++;
            try {
                Files.writeString(vmDir.resolve("console.log"), "boot " + boots + "\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return next.removeFirst();
        }
    }

    private static VmResult noBoot() {
        return Fixtures.vm(K, "6.12.0", 512, List.of(), VmResult.Status.TIMEOUT, "killed after the 300 s timeout (the probe never started)");
    }

    private static VmResult complete() {
        return Fixtures.vm(K, "6.12.0", 512, Fixtures.grid("6.12.0", "ok", 0), VmResult.Status.COMPLETE, "");
    }

    private static VmResult crashedDuringACase() {
        List<String> lines = new ArrayList<>(List.of(Fixtures.header("6.12.0"), Fixtures.begin(0, "memalign/sq1"),
                Fixtures.result(0, "memalign", 1, 1, 1, "ok", 0), Fixtures.begin(1, "memalign/sq65")));
        return Fixtures.vm(K, "6.12.0", 512, lines, VmResult.Status.INCOMPLETE, "powered off without the probe's end record");
    }

    @Test
    void aBootFailureIsBootedAgainAndEveryAttemptIsKept(@TempDir Path dir) throws Exception {
        Scripted inner = new Scripted(noBoot(), noBoot(), complete());
        List<String> log = new ArrayList<>();
        VmResult r = new RetryingVmRunner(inner, 2, log::add).run(complete().job(), dir, NONCE);
        assertThat(inner.boots).isEqualTo(3);
        assertThat(r.complete()).isTrue();
        assertThat(r.attempts()).extracting(VmResult.Attempt::status).containsExactly(VmResult.Status.TIMEOUT, VmResult.Status.TIMEOUT);
        assertThat(r.attempts()).extracting(VmResult.Attempt::consoleLog).containsExactly("attempt-1/console.log", "attempt-2/console.log");
        assertThat(Files.readString(dir.resolve("attempt-1/console.log"))).isEqualTo("boot 1\n");
        assertThat(Files.readString(dir.resolve("attempt-2/console.log"))).isEqualTo("boot 2\n");
        assertThat(Files.readString(dir.resolve("console.log"))).isEqualTo("boot 3\n");
        assertThat(log).containsExactly(
                "k-512M: TIMEOUT before any case (killed after the 300 s timeout (the probe never started)): booting again, attempt 2 of 3",
                "k-512M: TIMEOUT before any case (killed after the 300 s timeout (the probe never started)): booting again, attempt 3 of 3");
    }

    @Test
    void retriesStopAtN(@TempDir Path dir) throws Exception {
        Scripted inner = new Scripted(noBoot(), noBoot(), complete());
        VmResult r = new RetryingVmRunner(inner, 1, s -> {}).run(complete().job(), dir, NONCE);
        assertThat(inner.boots).isEqualTo(2);
        assertThat(r.status()).isEqualTo(VmResult.Status.TIMEOUT);
        assertThat(r.attempts()).hasSize(1);
    }

    @Test
    void aCrashDuringACaseIsAFindingNeverRetriedAndKeepsTheAttemptsBeforeIt(@TempDir Path dir) throws Exception {
        Scripted inner = new Scripted(noBoot(), crashedDuringACase(), complete());
        VmResult r = new RetryingVmRunner(inner, 5, s -> {}).run(complete().job(), dir, NONCE);
        assertThat(inner.boots).isEqualTo(2);
        assertThat(r.status()).isEqualTo(VmResult.Status.INCOMPLETE);
        assertThat(r.guest().interruptedCase()).contains("memalign/sq65");
        assertThat(r.attempts()).extracting(VmResult.Attempt::status).containsExactly(VmResult.Status.TIMEOUT);
        assertThat(RetryingVmRunner.retryable(crashedDuringACase())).isFalse();
        assertThat(RetryingVmRunner.retryable(noBoot())).isTrue();
        assertThat(RetryingVmRunner.retryable(complete())).isFalse();
    }

    @Test
    void zeroRetriesBootsOnce(@TempDir Path dir) throws Exception {
        Scripted inner = new Scripted(noBoot());
        VmResult r = new RetryingVmRunner(inner, 0, s -> {}).run(complete().job(), dir, NONCE);
        assertThat(inner.boots).isEqualTo(1);
        assertThat(r.attempts()).isEmpty();
    }

    @Test
    void theAttemptsTravelThroughRunJsonAndReportJson(@TempDir Path dir) throws Exception {
        VmResult r = new RetryingVmRunner(new Scripted(noBoot(), complete()), 1, s -> {}).run(complete().job(), dir, NONCE);
        VmResult placed = new VmResult(r.job(), r.status(), r.detail(), r.guest(), r.wall(), r.accel(),
                dir.resolve("console.log"), dir.resolve("results.log"), r.console(), r.attempts());
        dev.ringvm.model.RunSummary s = new dev.ringvm.model.RunSummary(NONCE, java.time.Instant.EPOCH, java.time.Instant.EPOCH,
                dir, "tcg", "test", 1, List.of(placed), List.of(), false, dev.ringvm.model.RunSummary.Context.NONE);
        dev.ringvm.report.RunDirectory.write(s);
        assertThat(dev.ringvm.report.RunDirectory.read(dir).vms().getFirst().attempts()).isEqualTo(r.attempts());
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"attempts\" : [ {\n      \"status\" : \"TIMEOUT\"");
    }
}
