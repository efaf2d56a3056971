package dev.ringvm.bisect;

import dev.ringvm.config.ConfigException;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.kernel.build.DebianSourceBuilder;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code ringvm bisect --tree}: git bisect run over a shared clone of the tree, each step built ({@link Builder}:
 * the kernel builder, cached by tree content, ccache), booted and judged ({@link Boots}), recorded in
 * {@link BisectState}. When git names a commit, that commit and its parent are judged too if git did not need to (an
 * endpoint), so the result always shows the cells that differ between them, and a wrong endpoint is caught instead
 * of being reported as the answer.
 */
public final class GitBisection {

    /** The image of the checkout at {@code tree}, and whether it was compiled now or found in the cache. */
    @FunctionalInterface
    public interface Builder {
        Built build(String id, Path tree) throws KernelUnavailableException, IOException, InterruptedException;
    }

    /** A ready kernel; {@code built} false when the image came from the cache. */
    public record Built(ResolvedKernel kernel, boolean built) {}

    /** The kernel builder for {@code build: { tree: CHECKOUT, config, fragments, patches }}. */
    public static Builder kernelBuilder(DebianSourceBuilder builder, KernelResolver resolver, String config,
                                        List<Path> fragments, List<Path> patches) {
        return (id, tree) -> {
            KernelSource.BuildSource src = new KernelSource.BuildSource(tree, null, null, config, fragments, patches);
            boolean cached = builder.cached(id, src).isPresent();
            return new Built(resolver.resolve(new KernelEntry(id, src)), !cached);
        };
    }

    private final Path dir;
    private final Builder builder;
    private final Boots.Judging judging;
    private final Consumer<String> log;
    private BisectState state;
    private int answeredFromState;

    /**
     * @param dir   the bisect's directory: bisect.json, the clone ({@code tree/}, removed at the end), each step's run
     *              directory under {@code steps/}, git's transcript
     * @param state a new state, or one read back for {@code --resume}
     */
    public GitBisection(Path dir, BisectState state, Builder builder, Boots.Judging judging, Consumer<String> log) {
        this.dir = dir;
        this.state = state;
        this.builder = builder;
        this.judging = judging;
        this.log = log;
    }

    /** Runs the bisect to its end; the report says what it found and what it cost. */
    public BisectReport run() throws IOException, InterruptedException, ConfigException {
        BisectState.GitRequest req = state.git();
        Files.createDirectories(dir);
        answeredFromState = 0;
        int recorded = state.steps().size();
        state = state.concluded(null);
        state.write(dir);
        Path clonePath = dir.resolve("tree");
        GitBisect bisect = GitBisect.cloneOf(Path.of(req.tree()), clonePath, req.fix(), log);
        Git git = bisect.git();
        try {
            Files.deleteIfExists(dir.resolve("bisect-run.log"));
            GitBisect.Conclusion c = bisect.run(req.good(), req.bad(), commit -> judge(git, commit).answer(),
                    dir.resolve("bisect-run.log"));
            Files.writeString(dir.resolve("bisect.log"), bisect.bisectLog() + "\n");
            BisectState.Conclusion end = conclude(bisect, git, c);
            state = state.concluded(end);
            state.write(dir);
            return new BisectReport(state, recorded > 0 ? answeredFromState : 0);
        } finally {
            org.apache.commons.io.FileUtils.deleteDirectory(clonePath.toFile());
        }
    }

    private BisectState.Conclusion conclude(GitBisect bisect, Git git, GitBisect.Conclusion c)
            throws IOException, InterruptedException {
        boolean fix = state.git().fix();
        String term = fix ? "fixed" : "bad";
        if (c.first() == null) {
            String msg = c.candidates().isEmpty()
                    ? "git bisect ended without naming a commit (see bisect-run.log)"
                    : "skipped steps left " + c.candidates().size() + " candidates: the first " + term
                    + " commit is one of them";
            return new BisectState.Conclusion(BisectState.Kind.UNDECIDED, null, null, c.candidates(), msg);
        }
        String first = c.first();
        Optional<String> parent = parentOf(git, first);
        StepResult firstStep = judgedOrJudge(bisect, git, first);
        Answer want = fix ? Answer.GOOD : Answer.BAD;
        if (firstStep.answer() != want) {
            return new BisectState.Conclusion(BisectState.Kind.WRONG_ENDPOINT, null, null, List.of(first), "git named " + short12(first) + " but it is "
                    + firstStep.answer() + " (" + firstStep.reason() + "): "
                    + (fix ? "--good " + state.git().goodRef() + " is not fixed" : "--bad " + state.git().badRef() + " is not bad"));
        }
        if (parent.isEmpty()) {
            return new BisectState.Conclusion(BisectState.Kind.FOUND, first, null, List.of(), "the first " + term + " commit is the root commit");
        }
        StepResult parentStep = judgedOrJudge(bisect, git, parent.get());
        Answer before = fix ? Answer.BAD : Answer.GOOD;
        if (parentStep.answer() == Answer.SKIP) {
            return new BisectState.Conclusion(BisectState.Kind.UNDECIDED, null, parent.get(), List.of(parent.get(), first), "the parent of "
                    + short12(first) + " could not be judged (" + parentStep.reason() + "): the first " + term
                    + " commit is one of them");
        }
        if (parentStep.answer() != before) {
            return new BisectState.Conclusion(BisectState.Kind.WRONG_ENDPOINT, null, parent.get(), List.of(first), "the parent of " + short12(first)
                    + " is " + parentStep.answer() + " too (" + parentStep.reason() + "): "
                    + (fix ? "--bad " + state.git().badRef() + " is not broken" : "--good " + state.git().goodRef() + " is not good"));
        }
        return new BisectState.Conclusion(BisectState.Kind.FOUND, first, parent.get(), List.of(), first + " is the first " + term + " commit");
    }

    private StepResult judgedOrJudge(GitBisect bisect, Git git, String commit) throws IOException, InterruptedException {
        Optional<StepResult> known = state.step(commit);
        if (known.isPresent()) return known.get();
        log.accept("judging " + short12(commit) + " as well: git did not need it, the result does");
        bisect.checkout(commit);
        return judge(git, commit);
    }

    private static Optional<String> parentOf(Git git, String commit) {
        try {
            return Optional.of(git.run("rev-parse", "--verify", "--quiet", commit + "^1"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One step: from the state file when it is there, else build, boot, judge and record. */
    private StepResult judge(Git git, String commit) throws IOException, InterruptedException {
        Optional<StepResult> known = state.step(commit);
        if (known.isPresent()) {
            answeredFromState++;
            log.accept("step " + short12(commit) + ": " + known.get().answer() + " (recorded in " + BisectState.FILE
                    + "): " + known.get().reason());
            return known.get();
        }
        String tree = git.tree(commit);
        String subject = git.subject(commit);
        String name = String.format("%02d-%s", state.steps().size() + 1, short12(commit));
        Path stepDir = dir.resolve("steps").resolve(name);
        log.accept("step " + short12(commit) + " " + subject);
        long t0 = System.nanoTime();
        StepResult r;
        try {
            Built b = builder.build("g" + short12(commit), git.dir());
            double buildSecs = secs(t0);
            log.accept("step " + short12(commit) + ": " + (b.built() ? "built" : "cached build") + " "
                    + b.kernel().release() + " in " + Math.round(buildSecs) + " s; booting");
            Boots.Judged j = judging.judge(b.kernel(), stepDir);
            r = new StepResult(commit, tree, subject, j.answer(), j.reason(), j.cells(), b.built(), buildSecs,
                    j.boots(), j.bootTime().toMillis() / 1000.0, dir.relativize(stepDir).toString());
        } catch (KernelUnavailableException e) {
            r = new StepResult(commit, tree, subject, Answer.SKIP, "build failed: " + e.getMessage(), null, true,
                    secs(t0), 0, 0, null);
        }
        log.accept("step " + short12(commit) + ": " + r.answer() + ": " + r.reason());
        state = state.with(r);
        state.write(dir);
        return r;
    }

    static String short12(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static double secs(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis() / 1000.0;
    }
}
