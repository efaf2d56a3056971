package dev.ringvm.probe.protocol;

/**
 * Memory a NO_MMAP setup must refuse, given as the rings region (the SQE region is valid): what a kernel answers is
 * judged per era (docs/verdicts.md); a kernel that accepts what it should refuse is a regression.
 */
public enum Edge {
    /** The rings address 64 bytes past a page start. */
    UNALIGNED("unaligned"),
    /** The rings address 0. */
    NULL_ADDRESS("null"),
    /** A rings region that was mapped and unmapped again. */
    UNMAPPED("unmapped"),
    /** A multi-page rings region whose second half is unmapped. */
    HALF_UNMAPPED("half-unmapped"),
    /** A rings region mapped read-only. */
    READ_ONLY("read-only");

    private final String id;

    Edge(String id) { this.id = id; }

    public String id() { return id; }

    public static Edge of(String id) {
        return WireNames.byId(values(), Edge::id, id, "edge");
    }
}
