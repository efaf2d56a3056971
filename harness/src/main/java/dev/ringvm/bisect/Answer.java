package dev.ringvm.bisect;

/**
 * What one step says about its commit or kernel, in git's exit-code contract for {@code git bisect run}: 0 good,
 * 1 bad, 125 skip. In a {@code --fix} bisect git's terms are "broken" (old) and "fixed" (new), so the codes turn
 * around: a good step is the new term there.
 */
public enum Answer {
    /** No REGRESSION or FIXED case: the chosen cells are as the timeline expects. */
    GOOD,
    /** A REGRESSION or FIXED case (or a kernel finding in a complete boot). */
    BAD,
    /** Undecidable: the build failed, a VM was INFRA, or repeats disagreed (FLAKY). Never guessed. */
    SKIP;

    /** The exit code of the step command that git bisect run reads. */
    public int exitCode(boolean fix) {
        return switch (this) {
            case SKIP -> 125;
            case GOOD -> fix ? 1 : 0;
            case BAD -> fix ? 0 : 1;
        };
    }
}
