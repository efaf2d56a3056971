package dev.ringvm.probe.protocol;

/**
 * One grid case. {@code cqEntries} is the requested CQ size and only meaningful with {@code cqsize}.
 *
 * @param index 0-based position in the grid (stable across runs: the harness keys on it)
 */
public record CaseSpec(int index, Backing backing, int sqEntries, int cqEntries, boolean cqsize) {

    /** For example {@code memalign/sq65} or {@code hugetlb/sq1024/cq65536}. */
    public String id() {
        String base = backing.id() + "/sq" + sqEntries;
        return cqsize ? base + "/cq" + cqEntries : base;
    }

    /** CQ entries as recorded: the requested size with CQSIZE, else null. */
    public Integer recordedCq() {
        return cqsize ? cqEntries : null;
    }
}
