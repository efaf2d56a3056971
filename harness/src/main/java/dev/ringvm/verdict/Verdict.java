package dev.ringvm.verdict;

/** What a cell (or a VM) means against the expectation model. Declared from most to least urgent. */
public enum Verdict {
    /** Failed where success was expected, or the ring, its guard bytes or the normal-ring fallback broke. */
    REGRESSION,
    /** Repeats disagree and the expectation does not allow both outcomes. */
    FLAKY,
    /** Succeeded where a failure was expected (a backport, or the model is wrong for this kernel). */
    FIXED,
    /** No result: no boot, timeout, panic, probe crash, or the backing could not be allocated. */
    INFRA,
    /** The expected failure was reproduced. */
    KNOWN_BUG,
    /** The flag is unknown to this kernel (EINVAL before 6.5). */
    UNSUPPORTED,
    /** As expected and the ring works. */
    PASS;

    /** Exit code 1 material per DESIGN.md. */
    public boolean unexpected() {
        return this == REGRESSION || this == FLAKY || this == FIXED;
    }

    /** The more urgent of two verdicts. */
    public Verdict worst(Verdict o) {
        return o == null || compareTo(o) <= 0 ? this : o;
    }

    public String label() {
        return name().replace('_', ' ');
    }
}
