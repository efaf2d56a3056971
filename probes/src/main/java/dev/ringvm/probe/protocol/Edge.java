package dev.ringvm.probe.protocol;

/**
 * Memory a setup or registration must refuse or treat specially. For the rings family it is given as the rings
 * region (the SQE region is valid), except {@link #ALIASED}; for the mem-region family it is the region. What a
 * kernel answers is judged per era (docs/verdicts.md); a kernel that accepts what it should refuse is a regression.
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
    READ_ONLY("read-only"),
    /**
     * An SQE region of four pages whose first and last pages are one memfd page mapped twice, around two anonymous
     * pages: the region 820d070feb66 closed. 6.5's first-equals-last check lets it through and the kernel then
     * addresses the whole region from the first page (memory that is not the caller's); 6.6.5-6.9 refuse it (EINVAL,
     * not contiguous); from 6.10 it is vmapped as the caller sees it and works. Driven one SQE at a time, so the
     * alias never overwrites an SQE the kernel has not consumed.
     */
    ALIASED("aliased"),
    /** A mem-region registered on a ring created without IORING_SETUP_R_DISABLED: EINVAL (liburing test/reg-wait.c). */
    ENABLED_RING("enabled-ring");

    private final String id;

    Edge(String id) { this.id = id; }

    public String id() { return id; }

    /** Refused with an errno on every kernel that knows the call (judged by that errno, not by a timeline). */
    public boolean refused() { return this != ALIASED; }

    public static Edge of(String id) {
        return WireNames.byId(values(), Edge::id, id, "edge");
    }
}
