package dev.ringvm.bisect;

import dev.ringvm.model.ExitCode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished bisect prints: the first bad (fixed, changed) commit or kernel with its subject, the cells whose
 * verdicts differ between it and the one before it, every step, and the number of builds and boots with their time.
 *
 * @param fromState steps answered from the state file of a resumed bisect
 */
public record BisectReport(BisectState state, int fromState) {

    /** 0 when one commit or kernel was named (or nothing changed), 2 when an endpoint is not what the user said, 3 when skipped steps left several. */
    public ExitCode exitCode() {
        return switch (state.result().kind()) {
            case FOUND, NO_CHANGE -> ExitCode.OK;
            case WRONG_ENDPOINT -> ExitCode.USAGE;
            case UNDECIDED -> ExitCode.INFRA;
        };
    }

    /** Builds that compiled (failed ones included), their seconds; images found in the cache; boots and seconds. */
    public record Cost(int builds, int failedBuilds, double buildSeconds, int cached, int boots, double bootSeconds) {}

    public Cost cost() {
        int builds = 0, failed = 0, cached = 0, boots = 0;
        double bs = 0, vs = 0;
        for (StepResult s : state.steps()) {
            if (s.tree() != null && s.built()) {
                builds++;
                bs += s.buildSeconds();
                if (s.cells().isEmpty() && s.answer() == Answer.SKIP && s.reason().startsWith("build failed")) failed++;
            } else if (s.tree() != null) {
                cached++;
            }
            boots += s.boots();
            vs += s.bootSeconds();
        }
        return new Cost(builds, failed, bs, cached, boots, vs);
    }

    public String render() {
        BisectState.Conclusion c = state.result();
        boolean git = state.git() != null;
        boolean fix = git && state.git().fix();
        String what = git ? (fix ? "first fixed commit" : "first bad commit") : "first kernel whose verdicts change";
        StringBuilder b = new StringBuilder();
        switch (c.kind()) {
            case FOUND -> {
                StepResult first = step(c.first()).orElseThrow();
                b.append(what).append(": ").append(c.first()).append('\n');
                b.append("  ").append(first.subject()).append('\n');
                b.append("  ").append(first.answer()).append(": ").append(first.reason()).append('\n');
                if (c.parent() != null) {
                    StepResult parent = step(c.parent()).orElseThrow();
                    b.append("before it: ").append(GitBisection.short12(c.parent())).append(' ')
                            .append(parent.subject()).append('\n');
                    b.append("  ").append(parent.answer()).append(": ").append(parent.reason()).append('\n');
                    Map<String, String[]> diff = Cells.diff(parent.cells(), first.cells());
                    b.append("cells that differ (before -> ").append(git ? GitBisection.short12(c.first()) : c.first())
                            .append("): ").append(diff.size()).append('\n');
                    int w = diff.keySet().stream().mapToInt(String::length).max().orElse(0);
                    int v = diff.values().stream().mapToInt(x -> x[0].length()).max().orElse(0);
                    diff.forEach((k, x) -> b.append("  ").append(pad(k, w)).append("  ").append(pad(x[0], v))
                            .append("  ->  ").append(x[1]).append('\n'));
                }
            }
            case NO_CHANGE, WRONG_ENDPOINT -> b.append(c.message()).append('\n');
            case UNDECIDED -> {
                b.append(c.message()).append('\n');
                for (String cand : c.candidates()) {
                    Optional<StepResult> s = step(cand);
                    b.append("  ").append(cand).append(s.map(x -> "  " + x.answer() + "  " + x.subject()).orElse("")).append('\n');
                }
            }
        }
        b.append("steps:\n");
        int i = 0;
        for (StepResult s : state.steps()) {
            i++;
            String build = s.tree() == null ? "" : (s.built() ? "built " : "cached ") + Math.round(s.buildSeconds()) + " s, ";
            b.append(String.format("  %2d %-12s %-4s %s%d boot%s %d s  %s: %s%n", i,
                    git ? GitBisection.short12(s.name()) : s.name(), s.answer(), build, s.boots(),
                    s.boots() == 1 ? "" : "s", Math.round(s.bootSeconds()), s.subject(), s.reason()));
        }
        Cost k = cost();
        if (git) {
            b.append("builds: ").append(k.builds()).append(" in ").append(Math.round(k.buildSeconds())).append(" s")
                    .append(k.failedBuilds() > 0 ? " (" + k.failedBuilds() + " failed)" : "")
                    .append(", cached: ").append(k.cached()).append("; ");
        }
        b.append("boots: ").append(k.boots()).append(" in ").append(Math.round(k.bootSeconds())).append(" s");
        if (fromState > 0) b.append("; ").append(fromState).append(" step(s) answered from ").append(BisectState.FILE);
        b.append('\n');
        return b.toString();
    }

    private Optional<StepResult> step(String name) {
        return state.step(name);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
