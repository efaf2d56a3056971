package dev.ringvm.probe.protocol;

/**
 * Which structure in the caller's memory a case tests. Every family runs on a NO_MMAP ring, so a kernel without
 * NO_MMAP (before 6.5) answers EINVAL for all of them; each family has its own timeline (docs/verdicts.md).
 */
public enum Family {
    /** The SQE array and the rings of an IORING_SETUP_NO_MMAP ring (the grid before families existed). */
    RINGS("rings"),
    /**
     * A provided buffer ring in caller memory (IORING_REGISTER_PBUF_RING without IOU_PBUF_RING_MMAP, 5.19), registered
     * on a single-page NO_MMAP ring and driven by reads from a pipe that select their buffers
     * (IOSQE_BUFFER_SELECT). {@code sqEntries} is the buffer ring's entry count.
     */
    PBUF_RING("pbuf-ring"),
    /**
     * A user memory region registered with IORING_REGISTER_MEM_REGION as registered wait arguments (6.13) on an
     * R_DISABLED single-page NO_MMAP ring, then waits whose arguments live in each of its pages. {@code sqEntries} is
     * the region's size in pages.
     */
    MEM_REGION("mem-region"),
    /**
     * A single-page NO_MMAP ring (SINGLE_ISSUER|DEFER_TASKRUN, which resizing requires) resized with
     * IORING_REGISTER_RESIZE_RINGS (6.13) into new caller memory of {@code sqEntries}/{@code cqEntries}, then driven
     * through every slot again.
     */
    RESIZE_RINGS("resize-rings");

    private final String id;

    Family(String id) { this.id = id; }

    public String id() { return id; }

    public static Family of(String id) {
        return WireNames.byId(values(), Family::id, id, "family");
    }
}
