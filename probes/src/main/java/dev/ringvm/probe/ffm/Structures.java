package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The other structures that live in caller memory, beside a NO_MMAP ring's SQEs and rings: provided buffer rings
 * (IORING_REGISTER_PBUF_RING), registered wait regions (IORING_REGISTER_MEM_REGION) and resized rings
 * (IORING_REGISTER_RESIZE_RINGS). Each is registered, then driven so that every page of it is read by the kernel
 * and checked: a registration that succeeds but maps the pages wrongly shows as a bad slot.
 */
public final class Structures {
    private Structures() {}

    private static final VarHandle U32 = JAVA_INT.varHandle();
    private static final VarHandle U16 = JAVA_SHORT.varHandle();
    private static final long DEADLINE_NANOS = 2_000_000_000L;
    private static final int ETIME = 62;
    private static final int EINTR = 4;
    private static final int EFAULT = 14;

    /** 0 or the errno of io_uring_register(fd, opcode, arg, nr). */
    private static int register(int fd, int opcode, long arg, int nr) {
        LibC.Ret r = LibC.ioUringRegister(fd, opcode, arg, nr);
        return r.failed() ? r.errno() : 0;
    }

    /** IORING_REGISTER_ENABLE_RINGS: starts a ring created with IORING_SETUP_R_DISABLED. */
    public static int enableRings(int fd) {
        return register(fd, IoUringH.IORING_REGISTER_ENABLE_RINGS, 0, 0);
    }

    /** IORING_REGISTER_PBUF_RING of a buffer ring in caller memory: struct io_uring_buf_reg, flags 0 (not MMAP). */
    public static int registerPbufRing(int fd, long ringAddr, int entries, int bgid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(40, 8); // zeroed: flags, min_left and resv
            reg.set(JAVA_LONG, 0, ringAddr);
            reg.set(JAVA_INT, 8, entries);
            reg.set(JAVA_SHORT, 12, (short) bgid);
            return register(fd, IoUringH.IORING_REGISTER_PBUF_RING, reg.address(), 1);
        }
    }

    /**
     * IORING_REGISTER_MEM_REGION of caller memory as registered wait arguments: struct io_uring_region_desc
     * (user_addr, size, flags = IORING_MEM_REGION_TYPE_USER) behind struct io_uring_mem_region_reg
     * (flags = IORING_MEM_REGION_REG_WAIT_ARG), as liburing's test/reg-wait.c registers it.
     */
    public static int registerWaitRegion(int fd, long addr, long size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rd = a.allocate(64, 8);
            rd.set(JAVA_LONG, 0, addr);
            rd.set(JAVA_LONG, 8, size);
            rd.set(JAVA_INT, 16, IoUringH.IORING_MEM_REGION_TYPE_USER);
            MemorySegment mr = a.allocate(32, 8);
            mr.set(JAVA_LONG, 0, rd.address());
            mr.set(JAVA_LONG, 8, IoUringH.IORING_MEM_REGION_REG_WAIT_ARG);
            return register(fd, IoUringH.IORING_REGISTER_MEM_REGION, mr.address(), 1);
        }
    }

    /** What IORING_REGISTER_RESIZE_RINGS came to: 0 and the params the kernel wrote back, or an errno. */
    public record Resized(int errno, RingParams params) {}

    /**
     * IORING_REGISTER_RESIZE_RINGS to {@code sqEntries}/{@code cqEntries} (CQSIZE) with the new SQEs and rings in
     * caller memory ({@code sq_off.user_addr}, {@code cq_off.user_addr}: the ring is NO_MMAP, which it inherits).
     */
    public static Resized resize(int fd, int sqEntries, int cqEntries, long sqeAddr, long ringsAddr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(io_uring_params.layout());
            p.set(JAVA_INT, io_uring_params.sq_entries$offset, sqEntries);
            io_uring_params.cq_entries(p, cqEntries);
            io_uring_params.flags(p, IoUringH.IORING_SETUP_CQSIZE);
            io_sqring_offsets.user_addr(io_uring_params.sq_off(p), sqeAddr);
            io_cqring_offsets.user_addr(io_uring_params.cq_off(p), ringsAddr);
            int e = register(fd, IoUringH.IORING_REGISTER_RESIZE_RINGS, p.address(), 1);
            return new Resized(e, e == 0 ? RingParams.read(p) : null);
        }
    }

    /**
     * A ring's submission and completion sides as the caller sees them, for SQEs other than the NOPs of
     * {@link IoUring#drive}: write SQEs at the tail, submit, poll for CQEs against a deadline.
     */
    private static final class Ring {
        final int fd;
        final RingParams p;
        final MemorySegment sq, cq, sqes;
        final int sqMask, cqMask;
        int tail, head;

        Ring(int fd, RingParams p, long ringsAddr, long sqesAddr) {
            this.fd = fd;
            this.p = p;
            this.sq = RawMemory.at(ringsAddr, p.ringsBytes());
            this.cq = sq;
            this.sqes = RawMemory.at(sqesAddr, p.sqeSize() * p.sqEntries());
            this.sqMask = p.sqEntries() - 1;
            this.cqMask = p.cqEntries() - 1;
            this.tail = sq.get(JAVA_INT, p.sqTail());
            this.head = cq.get(JAVA_INT, p.cqHead());
        }

        /** Writes {@code n} 64-byte SQEs (8 longs each, in {@code words}) at the tail and submits them. */
        String submit(long[] words, int n) {
            for (int k = 0; k < n; k++) {
                int idx = (tail + k) & sqMask;
                MemorySegment.copy(words, k * 8, sqes, JAVA_LONG, idx * p.sqeSize(), 8);
                if (p.sqArray() != 0) sq.set(JAVA_INT, p.sqArray() + 4L * idx, idx);
            }
            tail += n;
            U32.setRelease(sq, (long) p.sqTail(), tail);
            LibC.Ret r = LibC.ioUringEnter(fd, n, 0, IoUringH.IORING_ENTER_GETEVENTS);
            if (r.failed()) return "io_uring_enter(" + n + ") failed, errno " + r.errno();
            if (r.value() != n) return "the kernel consumed " + r.value() + " of " + n + " SQEs";
            return null;
        }

        /** Waits for {@code n} CQEs (polling against the deadline); {user_data, res|flags<<32} pairs, or null. */
        long[] reap(int n) {
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            int cqTail = (int) U32.getAcquire(cq, (long) p.cqTail());
            while (cqTail - head < n) {
                if (System.nanoTime() - deadline > 0) return null;
                LibC.Ret w = LibC.ioUringEnter(fd, 0, 0, IoUringH.IORING_ENTER_GETEVENTS);
                if (w.failed() && w.errno() != EINTR) return null;
                Thread.onSpinWait();
                cqTail = (int) U32.getAcquire(cq, (long) p.cqTail());
            }
            long[] out = new long[2 * n];
            for (int k = 0; k < n; k++) {
                long off = p.cqCqes() + ((head + k) & cqMask) * p.cqeSize();
                out[2 * k] = cq.get(JAVA_LONG, off);
                out[2 * k + 1] = cq.get(JAVA_LONG, off + 8);
            }
            head += n;
            U32.setRelease(cq, (long) p.cqHead(), head);
            return out;
        }

        int pendingCqes() {
            return (int) U32.getAcquire(cq, (long) p.cqTail()) - head;
        }
    }

    /** One 64-byte SQE as 8 longs: opcode, flags, fd, off, addr, len, user_data, buf_group. */
    private static void sqe(long[] w, int at, int opcode, int flags, int fd, long off, long addr, int len,
                            long userData, int bufGroup) {
        int b = at * 8;
        w[b] = (opcode & 0xFF) | (flags & 0xFFL) << 8 | (fd & 0xFFFFFFFFL) << 32;
        w[b + 1] = off;
        w[b + 2] = addr;
        w[b + 3] = len & 0xFFFFFFFFL; // rw_flags / timeout_flags 0
        w[b + 4] = userData;
        w[b + 5] = bufGroup & 0xFFFFL;
        w[b + 6] = 0;
        w[b + 7] = 0;
    }

    /** Bytes of one provided buffer: small, so that the pipe never holds more than a batch. */
    public static final int PBUF_LEN = 32;

    /**
     * Drives a registered provided buffer ring through every entry at least twice. The buffer ring at
     * {@code bufRing} ({@code entries} struct io_uring_buf of 16 bytes, the tail in entry 0's resv) starts full:
     * entry k holds buffer id {@code entries - 1 - k} (so an id never equals its index) over {@code bufs}
     * ({@code entries} x {@link #PBUF_LEN} bytes). Each batch writes one chunk per read into the pipe (the read's
     * sequence number, repeated), submits IORING_OP_READ with IOSQE_BUFFER_SELECT from buffer group {@code bgid},
     * and checks every CQE: its user_data, res = {@link #PBUF_LEN}, IORING_CQE_F_BUFFER with the id of the entry the
     * kernel had to take next, and that buffer's bytes; then gives the buffers back at the tail, as an application
     * does. A kernel that reads the entries from the wrong pages picks a wrong id or writes the wrong buffer.
     */
    public static IoUring.Traffic drivePbuf(int fd, RingParams p, long ringsAddr, long sqesAddr, long bufRing,
                                            int entries, int bgid, long bufs, int pipeRead, int pipeWrite,
                                            long userDataBase, long wanted) {
        Ring ring = new Ring(fd, p, ringsAddr, sqesAddr);
        MemorySegment br = RawMemory.at(bufRing, 16L * entries);
        MemorySegment data = RawMemory.at(bufs, (long) PBUF_LEN * entries);
        for (int k = 0; k < entries; k++) putBuf(br, k, bufs, entries - 1 - k);
        int bufTail = entries;
        U16.setRelease(br, 14L, (short) bufTail);
        int batch = Math.min(p.sqEntries(), p.cqEntries());
        long done = 0;
        int words = PBUF_LEN / 8;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunks = arena.allocate((long) PBUF_LEN * batch, 8);
            while (done < wanted) {
                int n = (int) Math.min(batch, wanted - done);
                long[] sqeWords = new long[8 * n];
                for (int k = 0; k < n; k++) {
                    long seq = done + k;
                    for (int x = 0; x < words; x++) chunks.set(JAVA_LONG, (long) k * PBUF_LEN + 8L * x, userDataBase + seq);
                    sqe(sqeWords, k, IoUringH.IORING_OP_READ, IoUringH.IOSQE_BUFFER_SELECT, pipeRead, -1L, 0,
                            PBUF_LEN, userDataBase + seq, bgid);
                }
                LibC.Ret wr = LibC.write(pipeWrite, chunks.address(), (long) PBUF_LEN * n);
                if (wr.failed() || wr.value() != (long) PBUF_LEN * n) {
                    return new IoUring.Traffic(done, null, "write to the pipe failed: " + (wr.failed()
                            ? "errno " + wr.errno() : wr.value() + " of " + PBUF_LEN * n + " bytes"));
                }
                String err = ring.submit(sqeWords, n);
                if (err != null) return new IoUring.Traffic(done, null, err + " after " + done + " reads");
                long[] cqes = ring.reap(n);
                if (cqes == null) {
                    return IoUring.Traffic.corrupt(done, (int) (done % entries), "buffer ring entry "
                            + (done % entries) + ": no CQE for the read within " + DEADLINE_NANOS / 1_000_000
                            + " ms, " + ring.pendingCqes() + " of " + n + " arrived (after " + done + " reads)");
                }
                for (int k = 0; k < n; k++) {
                    long seq = done + k;
                    int entry = (int) (seq % entries);
                    int wantBid = entries - 1 - entry;
                    long ud = cqes[2 * k];
                    int res = (int) cqes[2 * k + 1];
                    int flags = (int) (cqes[2 * k + 1] >>> 32);
                    int bid = flags >>> IoUringH.IORING_CQE_BUFFER_SHIFT;
                    boolean selected = (flags & IoUringH.IORING_CQE_F_BUFFER) != 0;
                    if (ud != userDataBase + seq || res != PBUF_LEN || !selected || bid != wantBid) {
                        return IoUring.Traffic.corrupt(seq, entry, "buffer ring entry " + entry + " (read " + seq
                                + "): expected user_data 0x" + Long.toHexString(userDataBase + seq) + " res " + PBUF_LEN
                                + " buffer id " + wantBid + ", saw user_data 0x" + Long.toHexString(ud) + " res " + res
                                + (selected ? " buffer id " + bid : " no buffer (flags " + flags + ")"));
                    }
                    for (int x = 0; x < words; x++) {
                        long got = data.get(JAVA_LONG, (long) bid * PBUF_LEN + 8L * x);
                        if (got != userDataBase + seq) {
                            return IoUring.Traffic.corrupt(seq, entry, "buffer ring entry " + entry + " (read " + seq
                                    + "): buffer " + bid + " holds 0x" + Long.toHexString(got) + " at byte " + 8 * x
                                    + ", expected the read's data 0x" + Long.toHexString(userDataBase + seq)
                                    + ": the kernel wrote another buffer than the entry names");
                        }
                    }
                    // give the buffer back where the kernel will look for it after one lap
                    putBuf(br, bufTail % entries, bufs, bid);
                    bufTail++;
                }
                U16.setRelease(br, 14L, (short) bufTail);
                done += n;
            }
        }
        return new IoUring.Traffic(done, null, null);
    }

    /** struct io_uring_buf {addr, len, bid, resv}: resv is left alone (entry 0's resv is the ring's tail). */
    private static void putBuf(MemorySegment br, int entry, long bufs, int bid) {
        long e = 16L * entry;
        br.set(JAVA_LONG, e, bufs + (long) bid * PBUF_LEN);
        br.set(JAVA_INT, e + 8, PBUF_LEN);
        br.set(JAVA_SHORT, e + 12, (short) bid);
    }

    /** flags of struct io_uring_reg_wait that no kernel accepts: a slot the kernel must not read. */
    static final int SENTINEL_FLAGS = 0x80000000;

    /**
     * Drives a registered wait region: every 64-byte struct io_uring_reg_wait slot holds invalid flags (EINVAL
     * if the kernel reads it) except the one a wait names, which holds IORING_REG_WAIT_TS with a 1 us timeout, so
     * the wait must end with ETIME. Slot 0 and the last slot of every page are named in turn, then an offset one
     * slot past the end (EFAULT). Once tested, slot 0 holds valid flags and a bad sigmask pointer, so a kernel that
     * reads slot 0 instead of the one named answers EFAULT ({@code readSlot} 0). A kernel that reads another slot
     * answers EINVAL; one that reads memory without a
     * timeout would wait for ever, so a 10 s IORING_OP_TIMEOUT submitted first ends such a wait (a CQE instead of
     * ETIME).
     *
     * @return traffic whose completions count the waits that ended as they must
     */
    public static IoUring.Traffic driveWaitRegion(int fd, RingParams p, long ringsAddr, long sqesAddr, long region,
                                                  long size, int pageSize, long userDataBase) {
        Ring ring = new Ring(fd, p, ringsAddr, sqesAddr);
        MemorySegment r = RawMemory.at(region, size);
        int slots = (int) (size / IoUringH.REG_WAIT_SIZE);
        for (int s = 0; s < slots; s++) r.set(JAVA_INT, (long) s * IoUringH.REG_WAIT_SIZE + 20, SENTINEL_FLAGS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ts = arena.allocate(16, 8);
            ts.set(JAVA_LONG, 0, 10); // 10 s: only ever reached when a wait does not time out by itself
            long[] w = new long[8];
            sqe(w, 0, IoUringH.IORING_OP_TIMEOUT, 0, -1, 0, ts.address(), 1, userDataBase, 0);
            String err = ring.submit(w, 1);
            if (err != null) return new IoUring.Traffic(0, null, "submitting the watchdog timeout: " + err);
        }
        int perPage = pageSize / IoUringH.REG_WAIT_SIZE;
        int flags = IoUringH.IORING_ENTER_GETEVENTS | IoUringH.IORING_ENTER_EXT_ARG | IoUringH.IORING_ENTER_EXT_ARG_REG;
        long done = 0;
        for (int page = 0; page < slots / perPage; page++) {
            // slot 0, then the last slot of every page: a page the kernel maps wrongly, and the region's last slot
            int[] named = page == 0 ? new int[] {0, perPage - 1} : new int[] {page * perPage + perPage - 1};
            for (int slot : named) {
                long off = (long) slot * IoUringH.REG_WAIT_SIZE;
                r.set(JAVA_LONG, off, 0);        // ts.tv_sec
                r.set(JAVA_LONG, off + 8, 1000); // ts.tv_nsec
                r.set(JAVA_INT, off + 20, IoUringH.IORING_REG_WAIT_TS);
                LibC.Ret ret = LibC.ioUringEnter(fd, 0, 1, flags, off, IoUringH.REG_WAIT_SIZE);
                if (slot == 0) {
                    // slot 0 now marks itself: valid flags, no timeout, a bad sigmask pointer: EFAULT when read
                    r.set(JAVA_INT, off + 20, 0);
                    r.set(JAVA_LONG, off + 24, 100);
                    r.set(JAVA_INT, off + 32, 8);
                } else {
                    r.set(JAVA_INT, off + 20, SENTINEL_FLAGS);
                }
                if (!ret.failed() || ret.errno() != ETIME) {
                    boolean first = slot != 0 && ret.failed() && ret.errno() == EFAULT;
                    return new IoUring.Traffic(done, slot, "wait slot " + slot + " (page " + page + ", offset "
                            + off + "): expected ETIME from its 1 us timeout, got " + (ret.failed()
                            ? "errno " + ret.errno() + (ret.errno() == 22 ? " (EINVAL: the kernel read a slot with"
                            + " invalid flags, not the one named)" : first ? " (EFAULT: the kernel read slot 0,"
                            + " which holds a bad sigmask pointer, not the one named)" : "")
                            : ret.value() + " (the wait did not time out: the kernel read a slot without"
                            + " IORING_REG_WAIT_TS)"), first ? 0 : null);
                }
                done++;
            }
        }
        LibC.Ret past = LibC.ioUringEnter(fd, 0, 1, flags, size, IoUringH.REG_WAIT_SIZE);
        if (!past.failed() || past.errno() != EFAULT) {
            return IoUring.Traffic.corrupt(done, slots, "a wait one slot past the region's " + size + " bytes: expected"
                    + " EFAULT, got " + (past.failed() ? "errno " + past.errno() : String.valueOf(past.value())));
        }
        return new IoUring.Traffic(done + 1, null, null);
    }
}
