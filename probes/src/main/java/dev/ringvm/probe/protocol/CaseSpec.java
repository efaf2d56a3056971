package dev.ringvm.probe.protocol;

import java.util.EnumSet;
import java.util.Set;

/**
 * One grid case. {@code cqEntries} is the requested CQ size and only meaningful with {@code cqsize}.
 *
 * @param index   0-based position in the grid (stable across runs: the harness keys on it)
 * @param layout  where the SQEs and the rings go in the caller's memory
 * @param options setup flags beyond NO_MMAP and CQSIZE
 * @param edge    memory the setup must refuse or treat specially ({@link Edge}); null for a case that must work
 * @param family  the structure in caller memory under test; for {@link Family#PBUF_RING} {@code sqEntries} is the
 *                buffer ring's entries, for {@link Family#MEM_REGION} the region's pages
 */
public record CaseSpec(int index, Layout layout, Backing backing, int sqEntries, int cqEntries, boolean cqsize,
                       Set<SetupOption> options, Edge edge, Family family) {

    public CaseSpec {
        options = Set.copyOf(options);
        if (family == null) family = Family.RINGS;
    }

    /** A case of the rings family. */
    public CaseSpec(int index, Layout layout, Backing backing, int sqEntries, int cqEntries, boolean cqsize,
                    Set<SetupOption> options, Edge edge) {
        this(index, layout, backing, sqEntries, cqEntries, cqsize, options, edge, Family.RINGS);
    }

    /** A case that must work. */
    public CaseSpec(int index, Layout layout, Backing backing, int sqEntries, int cqEntries, boolean cqsize,
                    Set<SetupOption> options) {
        this(index, layout, backing, sqEntries, cqEntries, cqsize, options, null);
    }

    /** A case of the probe's own layout without extra flags (the grid before layouts and flags existed). */
    public CaseSpec(int index, Backing backing, int sqEntries, int cqEntries, boolean cqsize) {
        this(index, Layout.SEPARATE, backing, sqEntries, cqEntries, cqsize, EnumSet.noneOf(SetupOption.class));
    }

    /**
     * For example {@code memalign/sq65}, {@code hugetlb/sq1024/cq65536}, {@code lib/hugetlb/sq512/cq4096+nosqarray},
     * {@code span/thp/sq256/cq4096}, {@code pbuf-ring/anon/bufs1024}, {@code mem-region/hugetlb/pages16}: {@code lib/}
     * for liburing's layout, {@code span/} for regions across two huge pages, the family first when it is not the
     * rings, {@code +option} for each extra setup flag.
     */
    public String id() {
        String base = (edge != null ? "edge/" + edge.id() + "/" : "")
                + (family != Family.RINGS ? family.id() + "/" : "")
                + (layout == Layout.LIBURING ? "lib/" : layout == Layout.SPAN ? "span/" : "")
                + backing.id() + switch (family) {
                    case PBUF_RING -> "/bufs" + sqEntries;
                    case MEM_REGION -> "/pages" + sqEntries;
                    case RINGS, RESIZE_RINGS -> "/sq" + sqEntries;
                };
        if (cqsize) base += "/cq" + cqEntries;
        String opts = SetupOption.wire(options);
        return opts.isEmpty() ? base : base + "+" + opts;
    }

    /** CQ entries as recorded: the requested size with CQSIZE, else null. */
    public Integer recordedCq() {
        return cqsize ? cqEntries : null;
    }

    public boolean has(SetupOption o) {
        return options.contains(o);
    }
}
