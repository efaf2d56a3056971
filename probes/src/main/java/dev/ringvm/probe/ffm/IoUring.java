package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
     * What driving a ring came to: the CQEs reaped and checked, and, when something was wrong, the first slot the
     * kernel saw differently from the caller ({@code badSlot}, -1 when no slot can be named) and what was expected
     * and seen there. {@code error} without {@code badSlot} is a system call that failed.
     */
    public record Traffic(long completions, Integer badSlot, String error, Integer readSlot) {
        public Traffic(long completions, Integer badSlot, String error) {
            this(completions, badSlot, error, null);
        }

        public boolean ok() { return error == null; }

        static Traffic corrupt(long completions, int slot, String what) {
            return new Traffic(completions, slot, what);
        }
    }

    /** An SQE's first 8 bytes for a NOP: opcode 0, flags 0, ioprio 0, fd -1 (bytes 4-7, little endian). */
    static final long NOP_FD_MINUS_ONE = 0xFFFFFFFF00000000L;

    /** Byte pattern of the upper half of a 128-byte SQE: NOP ignores it, a wrong SQE stride does not. */
    static long sqeFiller(long seq) {
        return 0x5351453132380000L ^ seq;
    }

    /**
     * Drives NOPs through every SQ and CQ slot of a ring whose memory the caller sees at {@code sqRingAddr},
     * {@code cqRingAddr} (the same rings region for NO_MMAP) and {@code sqesAddr}: the SQ is filled whole with NOPs,
     * each with its own user_data (the whole 64 or 128 bytes of each SQE written), submitted, and every CQE is
     * checked in order for user_data, res 0, flags 0 and, with CQE32, zero extra words; until {@code wanted}
     * completions (2 x CQ entries wraps the CQ twice and the SQ at least twice). The SQ head the kernel publishes
     * must follow, and the kernel's dropped and overflow counters stay 0. Never blocks: submission does not wait
     * and CQEs are polled against a deadline.
     *
     * @param registered {@code fd} is a registered ring index (IORING_SETUP_REGISTERED_FD_ONLY)
     */
    public static Traffic drive(int fd, boolean registered, RingParams p, long sqRingAddr, long cqRingAddr,
                                long sqesAddr, long userDataBase, long wanted) {
        return drive(fd, registered, p, sqRingAddr, cqRingAddr, sqesAddr, userDataBase, wanted, p.sqEntries());
    }

    /**
     * {@link #drive(int, boolean, RingParams, long, long, long, long, long)} with at most {@code maxBatch} SQEs per
     * submission: 1 for an SQE region whose pages alias each other, where a batch would overwrite SQEs the kernel
     * has not read yet.
     */
    public static Traffic drive(int fd, boolean registered, RingParams p, long sqRingAddr, long cqRingAddr,
                                long sqesAddr, long userDataBase, long wanted, int maxBatch) {
        int sqEntries = p.sqEntries();
        int cqEntries = p.cqEntries();
        long sqeSize = p.sqeSize();
        long cqeSize = p.cqeSize();
        MemorySegment sq = RawMemory.at(sqRingAddr, p.sqRingBytes());
        MemorySegment cq = RawMemory.at(cqRingAddr, p.cqRingBytes());
        MemorySegment sqes = RawMemory.at(sqesAddr, sqeSize * sqEntries);

        int sqMask = sq.get(JAVA_INT, p.sqRingMask());
        int sqRingEntries = sq.get(JAVA_INT, p.sqRingEntries());
        if (sqRingEntries != sqEntries || sqMask != sqEntries - 1) {
            return Traffic.corrupt(0, -1, "SQ ring_entries/ring_mask in ring memory are " + sqRingEntries + "/" + sqMask
                    + ", expected " + sqEntries + "/" + (sqEntries - 1));
        }
        int cqMask = cq.get(JAVA_INT, p.cqRingMask());
        int cqRingEntries = cq.get(JAVA_INT, p.cqRingEntries());
        if (cqRingEntries != cqEntries || cqMask != cqEntries - 1) {
            return Traffic.corrupt(0, -1, "CQ ring_entries/ring_mask in ring memory are " + cqRingEntries + "/" + cqMask
                    + ", expected " + cqEntries + "/" + (cqEntries - 1));
        }
        int enterFlags = IoUringH.IORING_ENTER_GETEVENTS | (registered ? IoUringH.IORING_ENTER_REGISTERED_RING : 0);
        int tail = sq.get(JAVA_INT, p.sqTail());
        int head = cq.get(JAVA_INT, p.cqHead());
        long done = 0;
        while (done < wanted) {
            int n = (int) Math.min(Math.min(sqEntries, maxBatch), wanted - done);
            int sqHead = (int) U32.getAcquire(sq, (long) p.sqHead());
            if (sqHead != tail) {
                return Traffic.corrupt(done, tail & sqMask, "SQ head " + sqHead + " where the kernel should have consumed up"
                        + " to the tail " + tail + " (after " + done + " completions)");
            }
            // the batch's SQEs, each written whole (a NOP with fd -1, its own user_data, a pattern in SQE128's
            // upper half), built in a Java array and copied in at most two runs: one bulk copy instead of a
            // memory access per field keeps the interpreter (before the JIT gets to this loop) cheap under TCG
            int words = (int) (sqeSize / 8);
            for (int k = 0; k < n; ) {
                int idx = (tail + k) & sqMask;
                int run = Math.min(n - k, sqEntries - idx);
                long[] buf = new long[run * words];
                int[] array = p.sqArray() != 0 ? new int[run] : null;
                for (int j = 0; j < run; j++) {
                    long seq = done + k + j;
                    int w = j * words;
                    buf[w] = NOP_FD_MINUS_ONE;
                    buf[w + 4] = userDataBase + seq;
                    for (int x = 8; x < words; x++) buf[w + x] = sqeFiller(seq);
                    if (array != null) array[j] = idx + j;
                }
                MemorySegment.copy(buf, 0, sqes, JAVA_LONG, idx * sqeSize, buf.length);
                if (array != null) MemorySegment.copy(array, 0, sq, JAVA_INT, p.sqArray() + 4L * idx, run);
                k += run;
            }
            U32.setRelease(sq, (long) p.sqTail(), tail + n);
            LibC.Ret r = LibC.ioUringEnter(fd, n, 0, enterFlags);
            if (r.failed()) {
                return new Traffic(done, null, "io_uring_enter(" + n + ") failed, errno " + r.errno() + " after "
                        + done + " completions");
            }
            if (r.value() != n) {
                int first = (int) ((tail + r.value()) & sqMask);
                return Traffic.corrupt(done, first, "SQ slot " + first + ": the kernel consumed " + r.value() + " of " + n
                        + " SQEs (after " + done + " completions)");
            }
            tail += n;
            int cqTail = (int) U32.getAcquire(cq, (long) p.cqTail());
            long deadline = System.nanoTime() + CQE_DEADLINE_NANOS;
            while (cqTail - head < n) {
                if (System.nanoTime() - deadline > 0) {
                    int slot = cqTail & cqMask;
                    return Traffic.corrupt(done + (cqTail - head), slot, "CQ slot " + slot + ": no CQE within "
                            + (CQE_DEADLINE_NANOS / 1_000_000) + " ms, " + (cqTail - head) + " of " + n
                            + " arrived (after " + done + " completions)");
                }
                LibC.Ret w = LibC.ioUringEnter(fd, 0, 0, enterFlags);
                if (w.failed() && w.errno() != 4 /* EINTR */) {
                    return new Traffic(done, null, "io_uring_enter(GETEVENTS) failed, errno " + w.errno());
                }
                Thread.onSpinWait();
                cqTail = (int) U32.getAcquire(cq, (long) p.cqTail());
            }
            if (cqTail - head != n) {
                return Traffic.corrupt(done, cqTail & cqMask, (cqTail - head) + " CQEs for " + n + " NOPs (after " + done
                        + " completions)");
            }
            int cqeWords = (int) (cqeSize / 8);
            for (int k = 0; k < n; ) {
                int first = (head + k) & cqMask;
                int run = Math.min(n - k, cqEntries - first);
                long[] buf = new long[run * cqeWords];
                MemorySegment.copy(cq, JAVA_LONG, p.cqCqes() + first * cqeSize, buf, 0, buf.length);
                for (int j = 0; j < run; j++) {
                    int w = j * cqeWords;
                    long want = userDataBase + done + k + j;
                    long ud = buf[w];
                    int res = (int) buf[w + 1];
                    int flags = (int) (buf[w + 1] >>> 32);
                    long big0 = cqeWords > 2 ? buf[w + 2] : 0;
                    long big1 = cqeWords > 2 ? buf[w + 3] : 0;
                    if (ud != want || res != 0 || flags != 0 || big0 != 0 || big1 != 0) {
                        int slot = first + j;
                        return Traffic.corrupt(done + k + j, slot, "CQ slot " + slot + " (completion " + (done + k + j)
                                + "): expected user_data 0x" + Long.toHexString(want) + " res 0 flags 0"
                                + (cqeWords > 2 ? " big_cqe 0/0" : "") + ", saw user_data 0x" + Long.toHexString(ud)
                                + " res " + res + " flags " + flags
                                + (cqeWords > 2 ? " big_cqe 0x" + Long.toHexString(big0) + "/0x" + Long.toHexString(big1) : ""));
                    }
                }
                k += run;
            }
            head += n;
            U32.setRelease(cq, (long) p.cqHead(), head);
            done += n;
        }
        int dropped = sq.get(JAVA_INT, p.sqDropped());
        int overflow = cq.get(JAVA_INT, p.cqOverflow());
        if (dropped != 0 || overflow != 0) {
            return Traffic.corrupt(done, -1, "after " + done + " completions the kernel counts " + dropped
                    + " dropped SQEs and " + overflow + " CQ overflows, expected 0 and 0");
        }
        return new Traffic(done, null, null);
    }

    /**
     * Closes a ring: close(2) for an fd, IORING_UNREGISTER_RING_FDS for a registered index (a ring set up with
     * IORING_SETUP_REGISTERED_FD_ONLY has no fd). Returns 0 or an errno.
     */
    public static int close(int fd, boolean registered) {
        if (!registered) return LibC.close(fd);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment up = arena.allocate(16, 8); // struct io_uring_rsrc_update { u32 offset, resv; u64 data; }
            up.set(JAVA_INT, 0, fd);
            LibC.Ret r = LibC.ioUringRegister(fd, IoUringH.IORING_UNREGISTER_RING_FDS
                    | IoUringH.IORING_REGISTER_USE_REGISTERED_RING, up.address(), 1);
            return r.failed() ? r.errno() : 0;
        }
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
        long sqesLen = p.sqeSize() * p.sqEntries();
        long sqRing = -1, cqRing = -1, sqes = -1;
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
            Traffic t = drive(s.fd(), false, p, sqRing, cqRing, sqes, userData, p.sqEntries());
            return new Fallback(0, p, t.error());
        } finally {
            if (sqes != -1) LibC.munmap(sqes, sqesLen);
            if (cqRing != -1 && cqRing != sqRing) LibC.munmap(cqRing, cqLen);
            if (sqRing != -1) LibC.munmap(sqRing, sqLen);
            LibC.close(s.fd());
        }
    }
}
