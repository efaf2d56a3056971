package dev.ringvm.probe.protocol;

/**
 * What one case measured (docs/probe-records.md has every field's meaning). Null means "not measured": the
 * case stopped before that step.
 *
 * @param flags         the setup flags passed to io_uring_setup for the NO_MMAP ring
 * @param code          what the NO_MMAP setup came to; with {@code errno} it makes the wire {@code result}
 * @param errno         the errno of a failed setup or allocation, else 0
 * @param ringWorks     traffic went through the caller's ring memory and came back right
 * @param ringError     why it did not, when it did not
 * @param guardsIntact  the guard bytes around the caller's regions survived the case
 * @param fallbackOk    a normal, kernel-allocated ring of the same sizes set up and carried a NOP
 */
public record Result(String nonce, CaseSpec spec, int flags, int actualSq, int actualCq, int predictedSq,
                     int predictedCq, Integer cqesOffset, Integer sqArrayOffset, Long sqeBytes, Integer sqePages,
                     Long ringBytes, Integer ringPages, ResultCode code, int errno, boolean ringWorks,
                     String ringError, Boolean guardsIntact, Integer sqePageKiB, Integer ringPageKiB,
                     Boolean sqeContiguous, Boolean ringContiguous, Integer sqeFirstGap, Integer ringFirstGap,
                     Boolean fallbackOk, String fallbackResult, String allocError, long micros)
        implements ProbeRecord {

    /** The wire value of {@code result}: {@code ok}, the setup's errno name, ALLOC_FAILED or PROBE_ERROR. */
    public String result() {
        return code.wire(errno);
    }

    /** Setup succeeded, the ring carried its traffic, and the guard bytes survived. */
    public boolean passed() {
        return code == ResultCode.OK && ringWorks && guardsOk();
    }

    /** The guard bytes survived (true when they were not checked: a case that stopped before allocating). */
    public boolean guardsOk() {
        return guardsIntact == null || guardsIntact;
    }

    /** Pages of the SQE region, 0 when the case stopped before sizing it. */
    public int sqePageCount() {
        return sqePages == null ? 0 : sqePages;
    }

    /** Pages of the rings region, 0 when the case stopped before sizing it. */
    public int ringPageCount() {
        return ringPages == null ? 0 : ringPages;
    }

    /** Both regions fit in one page: the case class that works on every NO_MMAP kernel. */
    public boolean singlePage() {
        return sqePageCount() <= 1 && ringPageCount() <= 1;
    }

    public CaseClass caseClass() {
        return CaseClass.of(spec.backing(), singlePage());
    }

    /** What a person reads in a cell: {@code ok}, the errno name, or why an ok setup still failed. */
    public String outcome() {
        if (code != ResultCode.OK) return result();
        if (!ringWorks) return "ring-broken";
        if (!guardsOk()) return "guards-overwritten";
        return "ok";
    }

    /** Whether the normal mmap'ed ring worked; false when it was not tried. */
    public boolean fallbackWorked() {
        return fallbackOk != null && fallbackOk;
    }
}
