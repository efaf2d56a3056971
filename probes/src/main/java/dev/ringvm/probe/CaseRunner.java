package dev.ringvm.probe;

import dev.ringvm.probe.ffm.IoUring;
import dev.ringvm.probe.ffm.IoUringH;
import dev.ringvm.probe.ffm.LibC;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Errno;
import dev.ringvm.probe.protocol.ResultCode;

import java.io.IOException;

/** Runs one case: learn offsets (normal ring = fallback test), allocate, inspect, NO_MMAP setup, NOP, check. */
final class CaseRunner {
    /** "RING" << 24: user_data of the NO_MMAP NOP is this + case index; the fallback NOP adds FALLBACK_TAG. */
    static final long USER_DATA_BASE = 0x52494E47000000L;
    static final long FALLBACK_TAG = 0x800000L;

    private final int pageSize;

    CaseRunner(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Never throws for case-level failures: those become a PROBE_ERROR result. */
    CaseResult run(CaseSpec c) {
        long t0 = System.nanoTime();
        CaseResult r = new CaseResult(c);
        Region sqe = null, rings = null;
        int fd = -1;
        try {
            int baseFlags = c.cqsize() ? IoUringH.IORING_SETUP_CQSIZE : 0;
            int cqArg = c.cqsize() ? c.cqEntries() : 0;
            r.flags = baseFlags | IoUringH.IORING_SETUP_NO_MMAP;

            // (1)+(9) the normal, kernel-allocated ring: it is the fallback users would take, and its params
            // tell us the real cq_off.cqes / sq_off.array of this kernel for these entries.
            IoUring.Fallback fb = IoUring.fallback(c.sqEntries(), cqArg, baseFlags,
                    USER_DATA_BASE + FALLBACK_TAG + c.index());
            r.fallbackResult = Errno.name(fb.errno());
            r.fallbackOk = fb.works();
            r.prediction = fb.setupOk()
                    ? Prediction.learnt(c, fb.params().cqCqes(), fb.params().sqArray())
                    : Prediction.formula(c);
            Prediction p = r.prediction;

            // (2)+(3) fresh memory per case, SQEs and rings in separate allocations
            try {
                sqe = Region.allocate(c.backing(), p.sqeBytes(), pageSize);
                rings = Region.allocate(c.backing(), p.ringBytes(), pageSize);
            } catch (Region.AllocFailed e) {
                r.code = ResultCode.ALLOC_FAILED;
                r.errno = e.errno;
                r.allocError = e.getMessage();
                return r;
            }

            // (7)+(8) page size and physical contiguity, read BEFORE setup: what the kernel is about to pin
            inspect(r, sqe, rings);

            // (4) the NO_MMAP setup
            IoUring.Setup s = IoUring.setup(c.sqEntries(), cqArg, r.flags, sqe.addr, rings.addr);
            r.code = s.ok() ? ResultCode.OK : ResultCode.SETUP_FAILED;
            r.errno = s.errno();
            if (s.ok()) {
                fd = s.fd();
                r.actualSq = s.params().sqEntries();
                r.actualCq = s.params().cqEntries();
                // (5) NOP through the caller's memory; offsets from the params this setup returned
                if (s.params().ringsBytes() > rings.bytes) {
                    r.ringError = "kernel ring layout (" + s.params().ringsBytes() + " bytes) exceeds the region ("
                            + rings.bytes + ")";
                } else {
                    r.ringError = IoUring.nopRoundTrip(fd, s.params(), rings.addr, rings.addr, sqe.addr,
                            USER_DATA_BASE + c.index());
                    r.ringWorks = r.ringError == null;
                }
                LibC.close(fd);
                fd = -1;
            }
            // (6)
            r.guardsIntact = sqe.guardsIntact() && rings.guardsIntact();
        } catch (Exception | LinkageError | AssertionError e) {
            r.code = ResultCode.PROBE_ERROR;
            r.ringWorks = false;
            r.ringError = e.toString();
        } finally {
            if (fd >= 0) {
                LibC.close(fd);
            }
            // (10)
            if (sqe != null) sqe.free();
            if (rings != null) rings.free();
            r.micros = (System.nanoTime() - t0) / 1000;
        }
        return r;
    }

    private void inspect(CaseResult r, Region sqe, Region rings) {
        ProcFs.Vma[] vmas = ProcFs.selfSmaps(sqe.addr, rings.addr);
        if (vmas != null) {
            r.sqePageKiB = vmas[0] == null ? null : vmas[0].effectivePageKiB();
            r.ringPageKiB = vmas[1] == null ? null : vmas[1].effectivePageKiB();
        }
        Integer g = gap(sqe);
        r.sqeContiguous = g == null ? null : g < 0;
        r.sqeFirstGap = g == null || g < 0 ? null : g;
        g = gap(rings);
        r.ringContiguous = g == null ? null : g < 0;
        r.ringFirstGap = g == null || g < 0 ? null : g;
    }

    private Integer gap(Region region) {
        try {
            return ProcFs.firstGap(ProcFs.pagemapPfns(region.addr, region.pages(pageSize), pageSize));
        } catch (IOException e) {
            return null;
        }
    }
}
