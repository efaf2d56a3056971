package dev.ringvm.probe.protocol;

/** How a case places the SQE array and the rings in the caller's memory. */
public enum Layout {
    /** Two allocations of the backing, one per region (the probe's own layout). */
    SEPARATE("separate"),
    /**
     * liburing's {@code io_uring_queue_init_mem()}: one buffer, the SQEs at offset 0 and the rings at the
     * page-rounded end of the SQEs (src/setup.c, io_uring_alloc_huge).
     */
    LIBURING("liburing"),
    /**
     * Two allocations of two huge pages each (hugetlb or THP); each region starts inside the first huge page, half
     * of it (page-rounded) before the boundary, and ends in the second. Contiguous only if the two huge pages happen
     * to be physically adjacent.
     */
    SPAN("span");

    private final String id;

    Layout(String id) { this.id = id; }

    public String id() { return id; }

    public static Layout of(String id) {
        return WireNames.byId(values(), Layout::id, id, "layout");
    }
}
