package dev.ringvm.probe;

/**
 * Everything one case measured, as emitted in its {@code result} record (see docs/probe-records.md).
 * Filled in step by step by {@link CaseRunner}; null means "not measured".
 */
public final class CaseResult {
    public final CaseSpec spec;
    public int flags;
    public int actualSq, actualCq;
    public Prediction prediction;
    public String result;
    public int errno;
    public boolean ringWorks;
    public String ringError;
    public Boolean guardsIntact;
    public Integer sqePageKiB, ringPageKiB;
    public Boolean sqeContiguous, ringContiguous;
    public Integer sqeFirstGap, ringFirstGap;
    public Boolean fallbackOk;
    public String fallbackResult;
    public String allocError;
    public long micros;

    CaseResult(CaseSpec spec) {
        this.spec = spec;
    }

    /** The NO_MMAP setup succeeded. */
    public boolean ok() {
        return "ok".equals(result);
    }

    @Override
    public String toString() {
        return spec.id() + ": " + result + (ringError != null ? " (" + ringError + ")" : "");
    }
}
