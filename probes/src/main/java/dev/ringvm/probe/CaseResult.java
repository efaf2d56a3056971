package dev.ringvm.probe;

import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.probe.protocol.ResultCode;

/**
 * Everything one case measured, as emitted in its {@code result} record (see docs/probe-records.md).
 * Filled in step by step by {@link CaseRunner}; null means "not measured".
 */
public final class CaseResult {
    public final CaseSpec spec;
    public int flags;
    public int actualSq, actualCq;
    public Prediction prediction;
    public ResultCode code;
    public int errno;
    public boolean ringWorks;
    public String ringError;
    public Integer completions;
    public Integer badSlot;
    /** The slot the kernel read instead of {@link #badSlot}, when the probe can tell. */
    public Integer readSlot;
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
        return code == ResultCode.OK;
    }

    /** The wire value of {@code result}: {@code ok}, an errno name, ALLOC_FAILED or PROBE_ERROR. */
    public String result() {
        return code.wire(errno);
    }

    /** The protocol record of this case. */
    public Result toRecord(String nonce) {
        Prediction p = prediction;
        return new Result(nonce, spec, flags, actualSq, actualCq, Prediction.predictedSq(spec),
                Prediction.predictedCq(spec), p == null ? null : p.cqesOffset(), p == null ? null : p.sqArrayOffset(),
                p == null ? null : p.sqeBytes(), p == null ? null : p.sqePages(), p == null ? null : p.ringBytes(),
                p == null ? null : p.ringPages(), p == null || p.bufferBytes() == 0 ? null : p.bufferBytes(), code, errno,
                ringWorks, ringError, completions, badSlot, readSlot, guardsIntact, sqePageKiB,
                ringPageKiB, sqeContiguous, ringContiguous, sqeFirstGap, ringFirstGap, fallbackOk, fallbackResult,
                allocError, micros);
    }

    @Override
    public String toString() {
        return spec.id() + ": " + result() + (ringError != null ? " (" + ringError + ")" : "");
    }
}
