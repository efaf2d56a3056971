package dev.ringvm.bisect;

import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ExitCode;
import dev.ringvm.model.ResolvedKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Binary search over prebuilt kernels in header version order, with skips, no change, and resume. */
class KernelsBisectionTest {

    private static ResolvedKernel k(String id, String release) {
        return new ResolvedKernel(id, new KernelSource.PathSource(Path.of("/k/" + id)), Path.of("/k/" + id),
                "ab".repeat(32), release, release, null, null);
    }

    /** Kernels whose id starts with "new" are EFAULT (REGRESSION), "infra" ones do not boot. */
    private static final class Fake implements Boots.Judging {
        final List<String> booted = new ArrayList<>();

        @Override
        public Boots.Judged judge(ResolvedKernel kernel, Path dir) {
            booted.add(kernel.id());
            if (kernel.id().startsWith("infra")) {
                return new Boots.Judged(Map.of("512M vm", "INFRA no boot"), Answer.SKIP, "INFRA: 512M: no boot", 1, Duration.ofSeconds(1));
            }
            boolean bad = kernel.id().startsWith("new");
            return new Boots.Judged(Map.of("512M memalign/sq65", bad ? "REGRESSION EFAULT" : "PASS ok"),
                    bad ? Answer.BAD : Answer.GOOD, bad ? "512M memalign/sq65: REGRESSION EFAULT" : "1 cases as expected",
                    1, Duration.ofSeconds(10));
        }
    }

    private static BisectState state() {
        return BisectState.start(null, new BisectState.KernelsRequest("/k/kernels.yaml"),
                new BisectState.Options(List.of(512), 1, "memalign/sq6", "default", 60, "TCG", "qemu-system-x86_64"));
    }

    @Test
    void versionOrderComparesNumbersAsNumbersAndKeepsTheFilesOrderForTies() {
        List<ResolvedKernel> ordered = KernelsBisection.inVersionOrder(List.of(k("b", "6.12.117"), k("a", "6.1.0-50-cloud-amd64"),
                k("c", "6.12.57+deb13-cloud-amd64"), k("d", "6.12.117"), k("e", "6.1.0-9-cloud-amd64"), k("f", "6.5.0-14-generic")));
        assertThat(ordered).extracting(ResolvedKernel::id).containsExactly("e", "a", "f", "c", "b", "d");
    }

    @Test
    void findsTheFirstKernelWhoseVerdictsChangeInFewBoots(@TempDir Path dir) throws Exception {
        List<ResolvedKernel> ks = new ArrayList<>();
        for (int i = 1; i <= 9; i++) ks.add(k((i >= 7 ? "new" : "old") + i, "6.5.0-" + i + "-generic"));
        Fake fake = new Fake();
        BisectReport r = new KernelsBisection(dir, state(), fake, s -> {}).run(ks);
        assertThat(r.state().result().kind()).isEqualTo(BisectState.Kind.FOUND);
        assertThat(r.state().result().first()).isEqualTo("new7");
        assertThat(r.state().result().parent()).isEqualTo("old6");
        assertThat(fake.booted).containsExactly("old1", "new9", "old5", "new7", "old6");
        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.render()).startsWith("first kernel whose verdicts change: new7\n  6.5.0-7-generic\n"
                + "  BAD: 512M memalign/sq65: REGRESSION EFAULT\nbefore it: old6 6.5.0-6-generic\n  GOOD: 1 cases as expected\n"
                + "cells that differ (before -> new7): 1\n  512M memalign/sq65  PASS ok  ->  REGRESSION EFAULT\n");
        assertThat(r.render()).contains("boots: 5 in 50 s");
    }

    @Test
    void aKernelThatDoesNotBootIsSkippedForItsNeighbour(@TempDir Path dir) throws Exception {
        List<ResolvedKernel> ks = List.of(k("old1", "6.5.0-1"), k("old2", "6.5.0-2"), k("infra3", "6.5.0-3"),
                k("old4", "6.5.0-4"), k("new5", "6.5.0-5"), k("new6", "6.5.0-6"));
        Fake fake = new Fake();
        BisectReport r = new KernelsBisection(dir, state(), fake, s -> {}).run(ks);
        assertThat(r.state().result().first()).isEqualTo("new5");
        assertThat(r.state().result().parent()).isEqualTo("old4");
        assertThat(fake.booted).containsExactly("old1", "new6", "infra3", "old2", "old4", "new5");
        assertThat(r.state().step("infra3").orElseThrow().answer()).isEqualTo(Answer.SKIP);

        Fake onlySkips = new Fake();
        BisectReport u = new KernelsBisection(dir.resolve("u"), state(), onlySkips, s -> {})
                .run(List.of(k("old1", "1"), k("infra2", "2"), k("new3", "3")));
        assertThat(u.state().result().kind()).isEqualTo(BisectState.Kind.UNDECIDED);
        assertThat(u.state().result().candidates()).containsExactly("infra2", "new3");
        assertThat(u.exitCode()).isEqualTo(ExitCode.INFRA);
    }

    @Test
    void noChangeWhenTheEndsAgreeAndAResumeBootsNothingAgain(@TempDir Path dir) throws Exception {
        Fake fake = new Fake();
        BisectReport r = new KernelsBisection(dir, state(), fake, s -> {}).run(List.of(k("old1", "1"), k("old2", "2")));
        assertThat(r.state().result().kind()).isEqualTo(BisectState.Kind.NO_CHANGE);
        assertThat(r.render()).startsWith("the chosen cells' verdicts are the same from old1 to old2: no kernel changes them\n");

        Fake again = new Fake();
        BisectReport resumed = new KernelsBisection(dir, BisectState.read(dir), again, s -> {})
                .run(List.of(k("old1", "1"), k("old2", "2")));
        assertThat(again.booted).isEmpty();
        assertThat(resumed.fromState()).isEqualTo(2);
    }
}
