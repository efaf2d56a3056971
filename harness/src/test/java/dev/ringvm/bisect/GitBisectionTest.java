package dev.ringvm.bisect;

import dev.ringvm.config.KernelSource;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.model.ExitCode;
import dev.ringvm.model.ResolvedKernel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * git bisect run driven through the step server over {@link ToyHistory}, with a builder that reads the checkout
 * (Kconfig "broken" fails the build, a {@code culprit} file makes the kernel bad) and a judge that answers from it:
 * which commits git asks for, what is named, which builds are counted, the state file and resume, and that the user's
 * repository is left as it was.
 */
class GitBisectionTest {
    @TempDir
    static Path shared;
    static ToyHistory history;

    @BeforeAll
    static void history() throws IOException {
        history = new ToyHistory(Files.createDirectories(shared.resolve("repo")));
    }

    /** Builds from a checkout: the release says what the tree holds; trees already built are "cached". */
    static final class FakeBuilder implements GitBisection.Builder {
        final Set<String> built = new HashSet<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public GitBisection.Built build(String id, Path tree) throws KernelUnavailableException, IOException {
            calls.add(id);
            if (Files.readString(tree.resolve("Kconfig")).contains("broken")) {
                throw new KernelUnavailableException(id + ": make tinyconfig failed: Kconfig:1: syntax error");
            }
            String state = Files.exists(tree.resolve("culprit")) ? "bad" : "good";
            String treeHash = new ToyHistory(tree, false).git("rev-parse", "HEAD^{tree}");
            boolean fresh = built.add(treeHash);
            return new GitBisection.Built(new ResolvedKernel(id, new KernelSource.PathSource(tree), tree,
                    "0".repeat(64), "6.12.0-" + state, "6.12.0-" + state, null, null), fresh);
        }
    }

    static Boots.Judged judge(ResolvedKernel k, Path dir) {
        boolean bad = k.release().endsWith("bad");
        return new Boots.Judged(Map.of("512M memalign/sq128", bad ? "REGRESSION EFAULT" : "PASS ok",
                "512M memalign/sq4", "PASS ok"), bad ? Answer.BAD : Answer.GOOD,
                bad ? "512M memalign/sq128: REGRESSION EFAULT" : "2 cases as expected", 1, Duration.ofSeconds(2));
    }

    static BisectState request(String good, String bad, boolean fix) {
        return BisectState.start(new BisectState.GitRequest(history.dir.toString(), good, bad, history.sha.get(good),
                history.sha.get(bad), fix, "tinyconfig", List.of(), List.of()), null,
                new BisectState.Options(List.of(512), 1, null, "default", 60, "TCG", "qemu-system-x86_64"));
    }

    private List<String> stepTags(BisectState s) {
        return s.steps().stream().map(x -> history.tag(x.name())).toList();
    }

    @Test
    void namesTheCulpritFromThreeStepsAndLeavesTheUsersTreeAsItWas(@TempDir Path dir) throws Exception {
        String statusBefore = history.git("status", "--porcelain", "--ignored");
        String refsBefore = history.git("for-each-ref");
        String headBefore = history.git("rev-parse", "HEAD");
        FakeBuilder b = new FakeBuilder();
        BisectReport r = new GitBisection(dir, request("c0", "c8", false), b, GitBisectionTest::judge, s -> {}).run();

        assertThat(r.state().result().kind()).isEqualTo(BisectState.Kind.FOUND);
        assertThat(history.tag(r.state().result().first())).isEqualTo("c5");
        assertThat(history.tag(r.state().result().parent())).isEqualTo("c4");
        assertThat(stepTags(r.state())).containsExactly("c4", "c6", "c5");
        assertThat(r.cost().builds()).isEqualTo(3);
        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        String text = r.render();
        assertThat(text).startsWith("first bad commit: " + history.sha.get("c5") + "\n  io_uring: reinstate the 6.5 rule\n");
        assertThat(text).contains("cells that differ (before -> " + history.sha.get("c5").substring(0, 12) + "): 1\n"
                + "  512M memalign/sq128  PASS ok  ->  REGRESSION EFAULT\n");
        assertThat(text).contains("builds: 3 in ");
        assertThat(text).contains("boots: 3 in 6 s");

        assertThat(history.git("status", "--porcelain", "--ignored")).isEqualTo(statusBefore);
        assertThat(history.git("for-each-ref")).isEqualTo(refsBefore);
        assertThat(history.git("rev-parse", "HEAD")).isEqualTo(headBefore);
        assertThat(history.dir.resolve(".git/BISECT_LOG")).doesNotExist();
        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(Files.readString(dir.resolve("bisect.log"))).contains("# first bad commit: [" + history.sha.get("c5") + "]");
        assertThat(BisectState.read(dir).result().first()).isEqualTo(history.sha.get("c5"));
    }

    @Test
    void fixFindsTheRevertAfterTheBrokenCommit(@TempDir Path dir) throws Exception {
        BisectReport r = new GitBisection(dir, request("r3", "c6", true), new FakeBuilder(), GitBisectionTest::judge,
                s -> {}).run();
        assertThat(history.tag(r.state().result().first())).isEqualTo("r2");
        assertThat(history.tag(r.state().result().parent())).isEqualTo("r1");
        assertThat(stepTags(r.state())).containsExactly("r2", "r1");
        assertThat(r.render()).startsWith("first fixed commit: " + history.sha.get("r2") + "\n  Revert \"io_uring: reinstate the 6.5 rule\"\n");
        assertThat(r.render()).contains("  512M memalign/sq128  REGRESSION EFAULT  ->  PASS ok\n");
    }

    @Test
    void aStepWhoseBuildFailsIsSkippedAndTheGoodEndpointIsJudgedForTheDiff(@TempDir Path dir) throws Exception {
        BisectReport r = new GitBisection(dir, request("c4", "x3", false), new FakeBuilder(), GitBisectionTest::judge,
                s -> {}).run();
        assertThat(history.tag(r.state().result().first())).isEqualTo("x1");
        assertThat(stepTags(r.state())).containsExactly("x2", "x1", "c4");
        StepResult skipped = r.state().steps().getFirst();
        assertThat(skipped.answer()).isEqualTo(Answer.SKIP);
        assertThat(skipped.reason()).isEqualTo("build failed: gx2: make tinyconfig failed: Kconfig:1: syntax error"
                .replace("gx2", "g" + history.sha.get("x2").substring(0, 12)));
        assertThat(r.cost().failedBuilds()).isEqualTo(1);
        assertThat(r.render()).contains(" SKIP built ");
    }

    @Test
    void aBadEndpointThatIsGoodIsCaughtNotReported(@TempDir Path dir) throws Exception {
        BisectReport r = new GitBisection(dir, request("c0", "c4", false), new FakeBuilder(), GitBisectionTest::judge,
                s -> {}).run();
        assertThat(r.state().result().kind()).isEqualTo(BisectState.Kind.WRONG_ENDPOINT);
        assertThat(r.state().result().message()).endsWith("--bad c4 is not bad");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anInterruptedBisectResumesFromItsStateFileWithoutJudgingAgain(@TempDir Path dir) throws Exception {
        int[] judged = {0};
        Boots.Judging stopsAtTheSecond = (k, d) -> {
            if (++judged[0] == 2) throw new InterruptedException("Ctrl-C");
            return judge(k, d);
        };
        assertThatThrownBy(() -> new GitBisection(dir, request("c0", "c8", false), new FakeBuilder(), stopsAtTheSecond,
                s -> {}).run()).isInstanceOf(InterruptedException.class);
        BisectState saved = BisectState.read(dir);
        assertThat(stepTags(saved)).containsExactly("c4");
        assertThat(saved.result()).isNull();

        FakeBuilder b = new FakeBuilder();
        BisectReport r = new GitBisection(dir, saved, b, GitBisectionTest::judge, s -> {}).run();
        assertThat(history.tag(r.state().result().first())).isEqualTo("c5");
        assertThat(stepTags(r.state())).containsExactly("c4", "c6", "c5");
        assertThat(b.calls).hasSize(2); // c4 came from bisect.json
        assertThat(r.fromState()).isEqualTo(1);
        assertThat(r.render()).contains("1 step(s) answered from bisect.json");
    }

    @Test
    void readsGitsConclusions() {
        String a = "a".repeat(40), b = "b".repeat(40);
        assertThat(GitBisect.conclusion(List.of("Bisecting: 0 revisions left", a + " is the first fixed commit",
                "commit " + a))).isEqualTo(new GitBisect.Conclusion(a, List.of()));
        assertThat(GitBisect.conclusion(List.of("There are only 'skip'ped commits left to test.",
                "The first bad commit could be any of:", a, b, "We cannot bisect more!")))
                .isEqualTo(new GitBisect.Conclusion(null, List.of(a, b)));
        assertThat(GitBisect.conclusion(List.of("error"))).isEqualTo(new GitBisect.Conclusion(null, List.of()));
    }

    @Test
    void stepExitCodesFollowGitsContract() {
        assertThat(Answer.GOOD.exitCode(false)).isZero();
        assertThat(Answer.BAD.exitCode(false)).isEqualTo(1);
        assertThat(Answer.SKIP.exitCode(false)).isEqualTo(125);
        assertThat(Answer.GOOD.exitCode(true)).isEqualTo(1);
        assertThat(Answer.BAD.exitCode(true)).isZero();
    }
}
