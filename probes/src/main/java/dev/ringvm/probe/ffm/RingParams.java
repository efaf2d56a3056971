package dev.ringvm.probe.ffm;

import java.lang.foreign.MemorySegment;

/** A plain copy of the io_uring_params the kernel returned (offsets are relative to the ring mapping/region). */
public record RingParams(int sqEntries, int cqEntries, int flags, int features,
                         int sqHead, int sqTail, int sqRingMask, int sqRingEntries, int sqArray, int sqDropped,
                         int cqHead, int cqTail, int cqRingMask, int cqRingEntries, int cqCqes, int cqOverflow) {

    static RingParams read(MemorySegment p) {
        MemorySegment sq = io_uring_params.sq_off(p);
        MemorySegment cq = io_uring_params.cq_off(p);
        return new RingParams(io_uring_params.sq_entries(p), io_uring_params.cq_entries(p),
                io_uring_params.flags(p), io_uring_params.features(p),
                io_sqring_offsets.head(sq), io_sqring_offsets.tail(sq), io_sqring_offsets.ring_mask(sq),
                io_sqring_offsets.ring_entries(sq), io_sqring_offsets.array(sq), io_sqring_offsets.dropped(sq),
                io_cqring_offsets.head(cq), io_cqring_offsets.tail(cq), io_cqring_offsets.ring_mask(cq),
                io_cqring_offsets.ring_entries(cq), io_cqring_offsets.cqes(cq), io_cqring_offsets.overflow(cq));
    }

    /** Bytes of the SQ ring as the kernel lays it out (fields, then the SQ array when present). */
    public long sqRingBytes() {
        return sqArray != 0 ? sqArray + 4L * sqEntries : cqRingBytes();
    }

    /** Bytes of the whole rings object (SQ and CQ ring share it since 5.4). */
    public long ringsBytes() {
        return Math.max(sqRingBytes(), cqRingBytes());
    }

    /** Bytes of the CQ ring (fields, then the CQEs). */
    public long cqRingBytes() {
        return cqCqes + cqeSize() * cqEntries;
    }

    /** 32 with IORING_SETUP_CQE32, else 16. */
    public long cqeSize() {
        return (flags & IoUringH.IORING_SETUP_CQE32) != 0 ? 2 * io_uring_cqe.sizeof() : io_uring_cqe.sizeof();
    }

    /** 128 with IORING_SETUP_SQE128, else 64. */
    public long sqeSize() {
        return (flags & IoUringH.IORING_SETUP_SQE128) != 0 ? 2 * io_uring_sqe.sizeof() : io_uring_sqe.sizeof();
    }
}
