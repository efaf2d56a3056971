package dev.ringvm.probe;

import dev.ringvm.probe.protocol.CaseSpec;

/**
 * What the kernel will set up and pin for a case (x86-64), per DOMAIN.md: {@code sq = roundup_pow2(entries)},
 * {@code cq = roundup_pow2(cq)} with CQSIZE else {@code 2*sq}; rings region = {@code sq_off.array + 4*sq}
 * (the SQ array follows the cache-line aligned CQEs); SQE region = {@code 64*sq}.
 */
public record Prediction(int sq, int cq, int cqesOffset, int sqArrayOffset, boolean offsetsLearnt,
                         long sqeBytes, int sqePages, long ringBytes, int ringPages) {

    public static final int PAGE = 4096;
    /** Offset of the CQEs in struct io_rings from 6.6 on (320 up to 6.5). */
    public static final int DEFAULT_CQES_OFFSET = 64;
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

    /** SQ array offset by the kernel's formula: CQEs end rounded up to a cache line. */
    public static int formulaSqArrayOffset(int cqesOffset, int cq) {
        long end = cqesOffset + (long) CQE_SIZE * cq;
        return (int) ((end + CACHE_LINE - 1) & -CACHE_LINE);
    }

    /** Prediction from offsets a normal setup reported. */
    public static Prediction learnt(CaseSpec c, int cqesOffset, int sqArrayOffset) {
        return of(c, cqesOffset, sqArrayOffset, true);
    }

    /** Prediction from the formula with {@code H = 64}, for when a normal setup is impossible. */
    public static Prediction formula(CaseSpec c) {
        int cq = predictedCq(c);
        return of(c, DEFAULT_CQES_OFFSET, formulaSqArrayOffset(DEFAULT_CQES_OFFSET, cq), false);
    }

    private static Prediction of(CaseSpec c, int cqesOffset, int sqArrayOffset, boolean learnt) {
        int sq = predictedSq(c);
        int cq = predictedCq(c);
        long sqeBytes = (long) SQE_SIZE * sq;
        long ringBytes = (long) sqArrayOffset + 4L * sq;
        return new Prediction(sq, cq, cqesOffset, sqArrayOffset, learnt, sqeBytes, pages(sqeBytes), ringBytes,
                pages(ringBytes));
    }

    public static int pages(long bytes) {
        return (int) ((bytes + PAGE - 1) / PAGE);
    }
}
