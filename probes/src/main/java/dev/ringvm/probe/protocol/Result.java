package dev.ringvm.probe.protocol;

/**
 * What one case measured (docs/probe-records.md has every field's meaning). Null means "not measured": the
 * case stopped before that step.
 *
 * @param flags         the setup flags passed to io_uring_setup for the NO_MMAP ring
 * @param code          what the NO_MMAP setup came to; with {@code errno} it makes the wire {@code result}
 * @param errno         the errno of a failed setup or allocation, else 0
 * @param bufferBytes   liburing's layout: the one buffer holding both regions (null for separate regions)
 * @param ringWorks     traffic went through every SQ and CQ slot of the caller's ring memory and came back right
 * @param ringError     why it did not, when it did not: what was expected and seen at the first bad slot
 * @param completions   CQEs reaped and checked (at least 2 x CQ entries when the ring works)
 * @param badSlot       the first ring slot whose SQE or CQE the kernel saw differently: the ring is corrupt
 * @param readSlot      the slot the kernel read instead of {@code badSlot}, when the probe can tell (wait regions)
 * @param guardsIntact  the guard bytes around the caller's regions survived the case
 * @param fallbackOk    a normal, kernel-allocated ring of the same sizes set up and carried a NOP
 */
public record Result(String nonce, CaseSpec spec, int flags, int actualSq, int actualCq, int predictedSq,
                     int predictedCq, Integer cqesOffset, Integer sqArrayOffset, Long sqeBytes, Integer sqePages,
                     Long ringBytes, Integer ringPages, Long bufferBytes, ResultCode code, int errno,
                     boolean ringWorks, String ringError, Integer completions, Integer badSlot, Integer readSlot, Boolean guardsIntact, Integer sqePageKiB, Integer ringPageKiB,
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

    /**
     * Both regions fit in one page of the guest's size (the header's {@code pageSize}: 4 KiB on x86-64, 16 KiB on
     * arm64-16k): the case class that works on every NO_MMAP kernel.
     */
    public boolean singlePage() {
        return sqePageCount() <= 1 && ringPageCount() <= 1;
    }

    /**
     * The class the case is judged in: by its regions' pages as the probe saw them before setup. A THP region that
     * did not get huge pages (smaps showed base pages) is private anonymous memory of base pages and is judged as
     * {@code multi-anon}, never as THP ({@link #thpNotGranted()}).
     */
    public CaseClass caseClass() {
        if (spec.edge() == Edge.ALIASED) return CaseClass.ALIASED;
        if (spec.edge() != null) return CaseClass.EDGE;
        switch (spec.family()) {
            case PBUF_RING -> { return CaseClass.PBUF_RING; }
            case MEM_REGION -> { return CaseClass.MEM_REGION; }
            case RESIZE_RINGS -> { return CaseClass.RESIZE_RINGS; }
            case RINGS -> { }
        }
        if (thpNotGranted()) return singlePage() ? CaseClass.SINGLE_PAGE : CaseClass.MULTI_ANON;
        if (spec.layout() == Layout.SPAN && !singlePage()) {
            return spec.backing() == Backing.THP ? CaseClass.SPAN_THP : CaseClass.SPAN_HUGETLB;
        }
        return CaseClass.of(spec.backing(), singlePage());
    }

    /**
     * A THP case whose multi-page region smaps shows on base pages: what was tested is not THP. Base pages are at most
     * 64 KiB and a THP (a PMD) at least 2 MiB on every architecture, so 2048 KiB tells them apart on any page size.
     */
    public boolean thpNotGranted() {
        if (spec.backing() != Backing.THP) return false;
        return sqePageCount() > 1 && sqePageKiB != null && sqePageKiB < 2048
                || ringPageCount() > 1 && ringPageKiB != null && ringPageKiB < 2048;
    }

    /** Outcome of a wait region whose last slot the kernel reads as slot 0 (see docs/verdicts.md). */
    public static final String LAST_SLOT_READS_0 = "last-slot-reads-0";

    /** What a person reads in a cell: {@code ok}, the errno name, or why an ok setup still failed. */
    public String outcome() {
        if (code != ResultCode.OK) return result();
        if (lastSlotReadsFirst()) return LAST_SLOT_READS_0;
        if (badSlot != null) return "ring-corrupt";
        if (!ringWorks) return "ring-broken";
        if (!guardsOk()) return "guards-overwritten";
        return "ok";
    }

    /**
     * A wait region case (mem-region) whose every slot worked except the last one, which the kernel read as slot 0:
     * {@code array_index_nospec(offset, cq_wait_size - size)} clamps the largest valid offset to 0.
     */
    public boolean lastSlotReadsFirst() {
        return spec.family() == Family.MEM_REGION && badSlot != null && readSlot != null && readSlot == 0
                && ringBytes != null && badSlot == ringBytes / 64 - 1;
    }

    /** Whether the normal mmap'ed ring worked; false when it was not tried. */
    public boolean fallbackWorked() {
        return fallbackOk != null && fallbackOk;
    }
}
