package dev.ringvm.probe;

import dev.ringvm.probe.ffm.IoUring;
import dev.ringvm.probe.ffm.IoUringH;
import dev.ringvm.probe.ffm.LibC;
import dev.ringvm.probe.ffm.Structures;
import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Edge;
import dev.ringvm.probe.protocol.Errno;
import dev.ringvm.probe.protocol.ResultCode;

/**
 * One case of a family other than the rings ({@code Family}): a single-page NO_MMAP carrier ring (SQEs and rings
 * in posix_memalign pages), then the structure in the case's backing, registered and driven through every page.
 * The result's {@code code}/{@code errno} are those of the first step that failed, and {@code ringError} names
 * the step; its ring* fields describe the structure's memory (the resized rings' new regions for resize-rings).
 */
final class StructureCase {
    /** Buffer group id of the provided buffer ring. */
    static final int BGID = 7;

    private final CaseRunner runner;
    private final CaseSpec c;
    private final PageSizes sizes;
    private final int pageSize;
    private final CaseResult r;
    private Region carrierSqes, carrierRings, memory, memory2, bufs;
    private int fd = -1;
    private int[] pipe;

    StructureCase(CaseRunner runner, CaseSpec c, PageSizes sizes) {
        this.runner = runner;
        this.c = c;
        this.sizes = sizes;
        this.pageSize = sizes.page();
        this.r = new CaseResult(c);
    }

    CaseResult run() {
        long t0 = System.nanoTime();
        try {
            switch (c.family()) {
                case PBUF_RING -> pbuf();
                case MEM_REGION -> memRegion();
                case RESIZE_RINGS -> resize();
                case RINGS -> throw new IllegalArgumentException("rings cases run in CaseRunner");
            }
        } catch (Region.AllocFailed e) {
            r.code = ResultCode.ALLOC_FAILED;
            r.errno = e.errno;
            r.allocError = e.getMessage();
        } catch (Exception | LinkageError | AssertionError e) {
            r.code = ResultCode.PROBE_ERROR;
            r.ringWorks = false;
            r.ringError = e.toString();
        } finally {
            if (fd >= 0) IoUring.close(fd, false);
            if (pipe != null) {
                LibC.close(pipe[0]);
                LibC.close(pipe[1]);
            }
            for (Region g : new Region[] {carrierSqes, carrierRings, memory, memory2, bufs}) if (g != null) g.free();
            r.micros = (System.nanoTime() - t0) / 1000;
        }
        return r;
    }

    /** The carrier ring: {@code sq} entries, 2 x sq CQEs, one page each for SQEs and rings. False when setup failed. */
    private boolean carrier(int sq, int extraFlags, String what) throws Region.AllocFailed, InterruptedException {
        CaseSpec shape = new CaseSpec(c.index(), Backing.MEMALIGN, sq, 0, false);
        Prediction p = Prediction.formula(shape, true, pageSize);
        carrierSqes = Region.allocate(Backing.MEMALIGN, p.sqeBytes(), sizes);
        carrierRings = Region.allocate(Backing.MEMALIGN, p.pageAlign(p.ringBytes()), sizes);
        r.flags = IoUringH.IORING_SETUP_NO_MMAP | extraFlags;
        IoUring.Setup[] s = new IoUring.Setup[1];
        int e = runner.retryingEnomem(2L * pageSize, () -> {
            s[0] = IoUring.setup(sq, 0, r.flags, carrierSqes.addr, carrierRings.addr);
            return s[0].errno();
        });
        if (e != 0) return failed("io_uring_setup of the NO_MMAP " + what + " ring", e);
        fd = s[0].fd();
        carrierParams = s[0].params();
        return true;
    }

    private dev.ringvm.probe.ffm.RingParams carrierParams;

    private boolean failed(String step, int errno) {
        r.code = ResultCode.SETUP_FAILED;
        r.errno = errno;
        r.ringWorks = false;
        r.ringError = step + ": " + Errno.name(errno);
        return false;
    }

    private void traffic(IoUring.Traffic t) {
        r.code = ResultCode.OK;
        r.completions = (int) t.completions();
        r.ringWorks = t.ok();
        r.ringError = t.error();
        r.badSlot = t.badSlot();
        r.readSlot = t.readSlot();
    }

    private void pbuf() throws Region.AllocFailed, InterruptedException {
        int entries = c.sqEntries();
        long bytes = 16L * entries;
        r.prediction = Prediction.structure(c, bytes, pageSize);
        // 64 entries: the largest carrier whose SQEs and rings each fit one page (so 6.5's rule lets it set up)
        if (!carrier(64, 0, "carrier")) return;
        memory = Region.allocate(c.backing(), bytes, sizes);
        bufs = Region.allocate(Backing.ANON, (long) Structures.PBUF_LEN * entries, sizes);
        int[] err = new int[1];
        pipe = LibC.pipe(err);
        if (pipe == null) throw new Region.AllocFailed("pipe2", err[0]);
        runner.inspectStructure(r, memory.addr, bytes);
        int e = runner.retryingEnomem(sizes.pageAlign(bytes),
                () -> Structures.registerPbufRing(fd, memory.addr, entries, BGID));
        if (e != 0) {
            failed("IORING_REGISTER_PBUF_RING", e);
        } else {
            traffic(Structures.drivePbuf(fd, carrierParams, carrierRings.addr, carrierSqes.addr, memory.addr, entries,
                    BGID, bufs.addr, pipe[0], pipe[1], CaseRunner.USER_DATA_BASE + ((long) c.index() << 32),
                    2L * entries));
        }
        r.guardsIntact = memory.guardsIntact();
    }

    private void memRegion() throws Region.AllocFailed, InterruptedException {
        long bytes = (long) c.sqEntries() * pageSize;
        r.prediction = Prediction.structure(c, bytes, pageSize);
        Edge edge = c.edge();
        if (!carrier(8, edge == Edge.ENABLED_RING ? 0 : IoUringH.IORING_SETUP_R_DISABLED, "R_DISABLED")) return;
        long addr;
        if (edge == Edge.NULL_ADDRESS) {
            addr = 0;
        } else if (edge == Edge.READ_ONLY) {
            addr = CaseRunner.map(bytes, LibC.PROT_READ);
        } else {
            memory = Region.allocate(c.backing(), bytes, sizes);
            addr = memory.addr;
            runner.inspectStructure(r, addr, bytes);
        }
        // the region alone: whether the carrier ring counts too depends on the kernel (7.2 stopped charging rings)
        int e = runner.retryingEnomem(bytes, () -> Structures.registerWaitRegion(fd, addr, bytes));
        if (e != 0) {
            failed("IORING_REGISTER_MEM_REGION", e);
        } else if (edge != null) {
            r.code = ResultCode.OK;
            r.ringWorks = false;
            r.ringError = "the kernel accepted a " + edge.id() + " wait region";
        } else {
            e = Structures.enableRings(fd);
            if (e != 0) {
                failed("IORING_REGISTER_ENABLE_RINGS after the region", e);
            } else {
                traffic(Structures.driveWaitRegion(fd, carrierParams, carrierRings.addr, carrierSqes.addr, addr, bytes,
                        pageSize, CaseRunner.USER_DATA_BASE + ((long) c.index() << 32)));
            }
        }
        if (memory != null) r.guardsIntact = memory.guardsIntact();
    }

    private void resize() throws Region.AllocFailed, InterruptedException {
        Prediction p = Prediction.formula(c, true, pageSize); // 6.13+ only: the ring header is 64 bytes
        r.prediction = p;
        // the new rings inherit NO_SQARRAY, SQE128, CQE32 and NO_MMAP from the ring being resized
        int flags = IoUringH.IORING_SETUP_SINGLE_ISSUER | IoUringH.IORING_SETUP_DEFER_TASKRUN | CaseRunner.optionFlags(c);
        if (!carrier(8, flags, "DEFER_TASKRUN")) {
            return;
        }
        long ud = CaseRunner.USER_DATA_BASE + ((long) c.index() << 32);
        IoUring.Traffic before = IoUring.drive(fd, false, carrierParams, carrierRings.addr, carrierRings.addr,
                carrierSqes.addr, ud, 2L * carrierParams.cqEntries());
        if (!before.ok()) {
            traffic(before);
            r.ringError = "before the resize: " + r.ringError;
            return;
        }
        memory = Region.allocate(c.backing(), p.sqeBytes(), sizes);
        memory2 = Region.allocate(c.backing(), p.ringBytes(), sizes);
        runner.inspect(r, memory.addr, p.sqeBytes(), memory2.addr, p.ringBytes());
        Structures.Resized[] resized = new Structures.Resized[1];
        runner.retryingEnomem(p.pinnedBytes(), () -> {
            resized[0] = Structures.resize(fd, c.sqEntries(), c.cqEntries(), memory.addr, memory2.addr);
            return resized[0].errno();
        });
        Structures.Resized rs = resized[0];
        if (rs.errno() != 0) {
            failed("IORING_REGISTER_RESIZE_RINGS", rs.errno());
        } else {
            r.actualSq = rs.params().sqEntries();
            r.actualCq = rs.params().cqEntries();
            if (rs.params().ringsBytes() > p.ringBytes()) {
                r.code = ResultCode.OK;
                r.ringError = "kernel ring layout after the resize (" + rs.params().ringsBytes()
                        + " bytes) exceeds the region (" + p.ringBytes() + ")";
            } else {
                traffic(IoUring.drive(fd, false, rs.params(), memory2.addr, memory2.addr, memory.addr,
                        ud + before.completions(), 2L * rs.params().cqEntries()));
            }
        }
        r.guardsIntact = memory.guardsIntact() && memory2.guardsIntact();
    }
}
