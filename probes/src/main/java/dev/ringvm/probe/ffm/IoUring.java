package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/** io_uring operations the probe needs, over raw addresses and plain values. */
public final class IoUring {
    private IoUring() {}

    /** u32 ring index access with acquire/release semantics; coordinates (MemorySegment, long offset). */
    private static final VarHandle U32 = JAVA_INT.varHandle();

    /** How long the NOP round trip may wait for its CQE before it is declared lost. */
    private static final long CQE_DEADLINE_NANOS = 2_000_000_000L;

    /** Outcome of io_uring_setup: fd >= 0 and params, or fd = -1 and errno. */
    public record Setup(int fd, int errno, RingParams params) {
        public boolean ok() { return fd >= 0; }
    }

    /** Outcome of the kernel-allocated (mmap'ed) ring test. */
    public record Fallback(int errno, RingParams params, String error) {
        public boolean setupOk() { return errno == 0; }
        public boolean works() { return errno == 0 && error == null; }
    }

    /**
     * io_uring_setup(entries, params) with {@code params.flags = flags}, {@code cq_entries = cqEntries} and,
     * for NO_MMAP, {@code sq_off.user_addr = sqeAddr}, {@code cq_off.user_addr = ringsAddr} (0 leaves them 0).
     */
    public static Setup setup(int entries, int cqEntries, int flags, long sqeAddr, long ringsAddr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(io_uring_params.layout()); // zeroed
            io_uring_params.flags(p, flags);
            io_uring_params.cq_entries(p, cqEntries);
            io_sqring_offsets.user_addr(io_uring_params.sq_off(p), sqeAddr);
            io_cqring_offsets.user_addr(io_uring_params.cq_off(p), ringsAddr);
            LibC.Ret r = LibC.ioUringSetup(LibC.errnoState(arena), entries, p);
            if (r.failed()) {
                return new Setup(-1, r.errno(), null);
            }
            return new Setup((int) r.value(), 0, RingParams.read(p));
        }
    }

    /**
     * Submits one NOP through a ring whose memory the caller can see (NO_MMAP: sqRing == cqRing == the rings
     * region) and reaps its CQE. Returns null when the CQE came back with the right user_data and res == 0, else
     * a short reason. Never blocks indefinitely: submission does not wait, the CQE is polled until a deadline.
     */
    public static String nopRoundTrip(int fd, RingParams p, long sqRingAddr, long cqRingAddr, long sqesAddr,
                                      long userData) {
        MemorySegment sq = RawMemory.at(sqRingAddr, p.sqRingBytes());
        MemorySegment cq = RawMemory.at(cqRingAddr, p.cqRingBytes());
        MemorySegment sqes = RawMemory.at(sqesAddr, io_uring_sqe.sizeof() * p.sqEntries());

        int sqMask = sq.get(JAVA_INT, p.sqRingMask());
        int sqEntries = sq.get(JAVA_INT, p.sqRingEntries());
        if (sqEntries != p.sqEntries() || sqMask != p.sqEntries() - 1) {
            return "SQ ring_entries/ring_mask in ring memory are " + sqEntries + "/" + sqMask
                    + ", expected " + p.sqEntries() + "/" + (p.sqEntries() - 1);
        }
        int cqMask = cq.get(JAVA_INT, p.cqRingMask());
        if (cqMask != p.cqEntries() - 1) {
            return "CQ ring_mask in ring memory is " + cqMask + ", expected " + (p.cqEntries() - 1);
        }
        int tail = sq.get(JAVA_INT, p.sqTail()); // only the application writes the SQ tail
        int idx = tail & sqMask;
        MemorySegment sqe = sqes.asSlice(idx * io_uring_sqe.sizeof(), io_uring_sqe.sizeof());
        sqe.fill((byte) 0);
        io_uring_sqe.opcode(sqe, (byte) IoUringH.IORING_OP_NOP);
        io_uring_sqe.fd(sqe, -1);
        io_uring_sqe.user_data(sqe, userData);
        if (p.sqArray() != 0) {
            sq.set(JAVA_INT, p.sqArray() + 4L * idx, idx);
        }
        U32.setRelease(sq, (long) p.sqTail(), tail + 1);

        LibC.Ret r = LibC.ioUringEnter(fd, 1, 0, IoUringH.IORING_ENTER_GETEVENTS);
        if (r.failed()) {
            return "io_uring_enter failed, errno " + r.errno();
        }
        if (r.value() != 1) {
            return "io_uring_enter submitted " + r.value() + " of 1";
        }
        int head = cq.get(JAVA_INT, p.cqHead());
        int cqTail = (int) U32.getAcquire(cq, (long) p.cqTail());
        long deadline = System.nanoTime() + CQE_DEADLINE_NANOS;
        while (cqTail == head) {
            if (System.nanoTime() - deadline > 0) {
                return "no CQE within " + (CQE_DEADLINE_NANOS / 1_000_000) + " ms (cq head=tail=" + head + ")";
            }
            LibC.Ret w = LibC.ioUringEnter(fd, 0, 0, IoUringH.IORING_ENTER_GETEVENTS);
            if (w.failed() && w.errno() != 4 /* EINTR */) {
                return "io_uring_enter(GETEVENTS) failed, errno " + w.errno();
            }
            Thread.onSpinWait();
            cqTail = (int) U32.getAcquire(cq, (long) p.cqTail());
        }
        MemorySegment cqe = cq.asSlice(p.cqCqes() + (head & cqMask) * io_uring_cqe.sizeof(), io_uring_cqe.sizeof());
        long gotData = io_uring_cqe.user_data(cqe);
        int res = io_uring_cqe.res(cqe);
        U32.setRelease(cq, (long) p.cqHead(), head + 1);
        if (gotData != userData) {
            return "CQE user_data 0x" + Long.toHexString(gotData) + ", expected 0x" + Long.toHexString(userData);
        }
        if (res != 0) {
            return "CQE res " + res;
        }
        if (cqTail - head != 1) {
            return (cqTail - head) + " CQEs for one NOP";
        }
        return null;
    }

    /**
     * The ring users fall back to: kernel-allocated, mmap'ed (SQ ring, CQ ring unless SINGLE_MMAP, SQEs), one NOP
     * round trip, everything unmapped and closed again. The returned params carry the kernel's real offsets.
     */
    public static Fallback fallback(int entries, int cqEntries, int flags, long userData) {
        Setup s = setup(entries, cqEntries, flags, 0, 0);
        if (!s.ok()) {
            return new Fallback(s.errno(), null, null);
        }
        RingParams p = s.params();
        int prot = LibC.PROT_READ | LibC.PROT_WRITE;
        int mflags = LibC.MAP_SHARED | LibC.MAP_POPULATE;
        boolean single = (p.features() & IoUringH.IORING_FEAT_SINGLE_MMAP) != 0;
        long sqLen = single ? p.ringsBytes() : p.sqRingBytes();
        long cqLen = p.cqRingBytes();
        long sqesLen = io_uring_sqe.sizeof() * p.sqEntries();
        long sqRing = -1, cqRing = -1, sqes = -1;
        String error = null;
        try {
            LibC.Ret m = LibC.mmap(0, sqLen, prot, mflags, s.fd(), IoUringH.IORING_OFF_SQ_RING);
            if (m.failed()) {
                return new Fallback(0, p, "mmap SQ ring failed, errno " + m.errno());
            }
            sqRing = m.value();
            if (single) {
                cqRing = sqRing;
            } else {
                m = LibC.mmap(0, cqLen, prot, mflags, s.fd(), IoUringH.IORING_OFF_CQ_RING);
                if (m.failed()) {
                    return new Fallback(0, p, "mmap CQ ring failed, errno " + m.errno());
                }
                cqRing = m.value();
            }
            m = LibC.mmap(0, sqesLen, prot, mflags, s.fd(), IoUringH.IORING_OFF_SQES);
            if (m.failed()) {
                return new Fallback(0, p, "mmap SQEs failed, errno " + m.errno());
            }
            sqes = m.value();
            error = nopRoundTrip(s.fd(), p, sqRing, cqRing, sqes, userData);
            return new Fallback(0, p, error);
        } finally {
            if (sqes != -1) LibC.munmap(sqes, sqesLen);
            if (cqRing != -1 && cqRing != sqRing) LibC.munmap(cqRing, cqLen);
            if (sqRing != -1) LibC.munmap(sqRing, sqLen);
            LibC.close(s.fd());
        }
    }
}
