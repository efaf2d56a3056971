package dev.ringvm.model;

/** DESIGN.md's exit codes: the one place that spells them. */
public enum ExitCode {
    /** Nothing unexpected: only PASS, KNOWN_BUG and UNSUPPORTED. */
    OK(0),
    /** A REGRESSION, FIXED or FLAKY cell (or a kernel finding in a complete boot). */
    UNEXPECTED(1),
    /** Usage or configuration error. */
    USAGE(2),
    /** Infrastructure: QEMU missing, a kernel unobtainable, a boot that failed. */
    INFRA(3),
    /** ringvm itself failed. */
    INTERNAL(4),
    /** Stopped by a signal (Ctrl-C). */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
