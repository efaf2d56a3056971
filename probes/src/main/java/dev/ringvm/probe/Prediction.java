package dev.ringvm.probe;

import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Layout;
import dev.ringvm.probe.protocol.SetupOption;

/**
 * What the kernel will set up and pin for a case, after io_uring/io_uring.c rings_size() (6.12, unchanged
 * in shape since CQE32 came in 5.19): {@code sq = roundup_pow2(entries)}, {@code cq = roundup_pow2(cq)} with CQSIZE
 * else {@code 2*sq}; the rings region is {@code off = H + 16*cq}, doubled whole with CQE32, aligned to a cache line,
 * then the SQ array ({@code 4*sq}) unless NO_SQARRAY; the SQE region is {@code 64*sq} (128 with SQE128). {@code H}
 * (the CQEs' offset in struct io_rings, the kernel's {@code cq_off.cqes}) is 64 from 6.6 and 320 before.
 * In liburing's layout both regions share one buffer: the SQEs at 0, the rings at the page-rounded end of the SQEs.
 * Pages are the guest's ({@code AT_PAGESZ}): 16 KiB on arm64-16k, where the SQEs of 128 entries (8 KiB) are one page,
 * and liburing's src/setup.c rounds with the same get_page_size().
 *
 * @param pageSize    the page size the page counts and roundings are in
 * @param bufferBytes liburing's layout: SQEs page-rounded plus rings, page-rounded; 0 for separate regions
 */
record Prediction(int sq, int cq, int cqesOffset, int sqArrayOffset, boolean offsetsLearnt,
                         long sqeBytes, int sqePages, long ringBytes, int ringPages, long bufferBytes, int pageSize) {

    /** Offset of the CQEs in struct io_rings from 6.6 on. */
    public static final int CQES_OFFSET_66 = 64;
    /** Offset of the CQEs in struct io_rings up to 6.5. */
    public static final int CQES_OFFSET_65 = 320;
    static final int SQE_SIZE = 64, CQE_SIZE = 16, CACHE_LINE = 64;

    public static int roundupPow2(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    public static int predictedSq(CaseSpec c) {
        return roundupPow2(c.sqEntries());
    }

    public static int predictedCq(CaseSpec c) {
        return c.cqsize() ? roundupPow2(c.cqEntries()) : 2 * predictedSq(c);
    }

    public static int sqeSize(CaseSpec c) {
        return c.has(SetupOption.SQE128) ? 2 * SQE_SIZE : SQE_SIZE;
    }

    /** The end of the CQEs as rings_size() computes it, aligned to a cache line: where the SQ array starts. */
    public static long cqesEnd(CaseSpec c, int cqesOffset, int cq) {
        long off = cqesOffset + (long) CQE_SIZE * cq;
        if (c.has(SetupOption.CQE32)) off <<= 1;
        return (off + CACHE_LINE - 1) & -CACHE_LINE;
    }

    /** Prediction from the offsets a normal setup with the same flags reported ({@code sq_off.array} 0 without). */
    public static Prediction learnt(CaseSpec c, int cqesOffset, int sqArrayOffset, int pageSize) {
        return of(c, cqesOffset, sqArrayOffset, true, pageSize);
    }

    /** Prediction from the formula, for when a normal setup is impossible; {@code H} by the kernel's version. */
    public static Prediction formula(CaseSpec c, boolean atLeast66, int pageSize) {
        return of(c, atLeast66 ? CQES_OFFSET_66 : CQES_OFFSET_65, 0, false, pageSize);
    }

    private static Prediction of(CaseSpec c, int cqesOffset, int learntArray, boolean learnt, int pageSize) {
        int sq = predictedSq(c);
        int cq = predictedCq(c);
        long sqeBytes = (long) sqeSize(c) * sq;
        long end = learntArray > 0 ? learntArray : cqesEnd(c, cqesOffset, cq);
        boolean array = !c.has(SetupOption.NO_SQARRAY);
        long ringBytes = array ? end + 4L * sq : end;
        long buffer = c.layout() == Layout.LIBURING
                ? pageAlign(pageAlign(sqeBytes, pageSize) + ringBytes, pageSize) : 0;
        return new Prediction(sq, cq, cqesOffset, array ? (int) end : 0, learnt, sqeBytes, pages(sqeBytes, pageSize),
                ringBytes, pages(ringBytes, pageSize), buffer, pageSize);
    }

    /**
     * A structure other than the rings ({@code Family.PBUF_RING}, {@code MEM_REGION}): its bytes are recorded as
     * the rings region's, the SQE region is empty.
     */
    public static Prediction structure(CaseSpec c, long bytes, int pageSize) {
        return new Prediction(predictedSq(c), predictedCq(c), 0, 0, false, 0, 0, bytes, pages(bytes, pageSize), 0,
                pageSize);
    }

    /** {@code bytes} rounded up to whole pages of {@code pageSize} (a power of two). */
    public static long pageAlign(long bytes, int pageSize) {
        return (bytes + pageSize - 1) & -(long) pageSize;
    }

    /** Pages of {@code pageSize} that {@code bytes} from a page start cover. */
    public static int pages(long bytes, int pageSize) {
        return (int) ((bytes + pageSize - 1) / pageSize);
    }

    /** This prediction's {@code bytes} rounded up to whole pages. */
    public long pageAlign(long bytes) {
        return pageAlign(bytes, pageSize);
    }

    /** Bytes the kernel pins for the two regions: each page-rounded (liburing's one buffer is the same sum). */
    public long pinnedBytes() {
        return pageAlign(sqeBytes) + pageAlign(ringBytes);
    }
}
