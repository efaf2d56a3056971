package dev.ringvm.probe;

import dev.ringvm.probe.ffm.IoUring;
import dev.ringvm.probe.ffm.IoUringH;
import dev.ringvm.probe.ffm.LibC;
import dev.ringvm.probe.ffm.RawMemory;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Edge;
import dev.ringvm.probe.protocol.Errno;
import dev.ringvm.probe.protocol.Layout;
import dev.ringvm.probe.protocol.ResultCode;
import dev.ringvm.probe.protocol.SetupOption;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one case: learn offsets from a normal ring (the fallback test, once per size and flags), allocate the
 * caller's memory in the case's layout, inspect its pages, NO_MMAP setup, drive traffic through every slot,
 * check guards and slack.
 */
final class CaseRunner {
    /** "RING" << 24: user_data of the NO_MMAP ring's NOPs is this + (case index << 32) + sequence number. */
    static final long USER_DATA_BASE = 0x52494E47000000L;
    static final long FALLBACK_TAG = 0x800000L;

    private final PageSizes sizes;
    private final int pageSize;
    private final boolean atLeast66;
    /** RLIMIT_MEMLOCK in bytes when ring memory is charged to it (no CAP_IPC_LOCK), else -1. */
    private long memlock = -1;
    /** Setups retried after an ENOMEM that the case's own memory does not explain. */
    static final int ENOMEM_RETRIES = 50;
    static final long ENOMEM_RETRY_MILLIS = 20;

    /** The fallback ring of each size and flag set: the same for every backing and layout. */
    private final Map<String, IoUring.Fallback> fallbacks = new HashMap<>();

    CaseRunner(PageSizes sizes) {
        this(sizes, true);
    }

    /** @param atLeast66 the kernel is 6.6 or newer: the formula's ring header is 64 bytes, else 320 */
    CaseRunner(PageSizes sizes, boolean atLeast66) {
        this.sizes = sizes;
        this.pageSize = sizes.page();
        this.atLeast66 = atLeast66;
    }

    PageSizes sizes() {
        return sizes;
    }

    /**
     * Ring memory is charged to RLIMIT_MEMLOCK ({@code bytes}) on 6.14+ for this unprivileged probe. A closed ring's
     * pages stay charged until its asynchronous teardown ends, so an ENOMEM for a case whose own memory fits the
     * limit is retried for up to {@link #ENOMEM_RETRIES} x {@link #ENOMEM_RETRY_MILLIS} ms: what remains is the
     * kernel's answer for that case alone.
     */
    void chargedAgainst(long bytes) {
        this.memlock = bytes;
    }

    /**
     * {@code call} (returning 0 or an errno), called again while it answers ENOMEM although {@code need} bytes fit
     * the limit ring memory is charged to: a closed ring's pages stay charged until its asynchronous teardown ends.
     */
    int retryingEnomem(long need, java.util.function.IntSupplier call) throws InterruptedException {
        int e = call.getAsInt();
        for (int retry = 0; e == Errno.ENOMEM && memlock >= 0 && need <= memlock && retry < ENOMEM_RETRIES; retry++) {
            Thread.sleep(ENOMEM_RETRY_MILLIS);
            e = call.getAsInt();
        }
        return e;
    }

    /** The setup flags of a case's options. */
    static int optionFlags(CaseSpec c) {
        int f = 0;
        for (SetupOption o : c.options()) {
            f |= switch (o) {
                case SQE128 -> IoUringH.IORING_SETUP_SQE128;
                case CQE32 -> IoUringH.IORING_SETUP_CQE32;
                case NO_SQARRAY -> IoUringH.IORING_SETUP_NO_SQARRAY;
                case REGISTERED_FD_ONLY -> IoUringH.IORING_SETUP_REGISTERED_FD_ONLY;
            };
        }
        return f;
    }

    /** Never throws for case-level failures: those become a PROBE_ERROR result. */
    CaseResult run(CaseSpec c) {
        return switch (c.family()) {
            case RINGS -> runRings(c);
            case PBUF_RING, MEM_REGION, RESIZE_RINGS -> new StructureCase(this, c, sizes).run();
        };
    }

    private CaseResult runRings(CaseSpec c) {
        long t0 = System.nanoTime();
        CaseResult r = new CaseResult(c);
        Region sqe = null, rings = null, buffer = null;
        boolean registered = c.has(SetupOption.REGISTERED_FD_ONLY);
        int fd = -1;
        try {
            int options = optionFlags(c);
            int baseFlags = (c.cqsize() ? IoUringH.IORING_SETUP_CQSIZE : 0) | (options & ~IoUringH.IORING_SETUP_REGISTERED_FD_ONLY);
            int cqArg = c.cqsize() ? c.cqEntries() : 0;
            r.flags = baseFlags | options | IoUringH.IORING_SETUP_NO_MMAP;

            // the normal, kernel-allocated ring: it is the fallback users would take, and its params tell us the
            // real cq_off.cqes / sq_off.array of this kernel for these entries and flags
            IoUring.Fallback fb = fallbacks.computeIfAbsent(c.sqEntries() + "/" + cqArg + "/" + baseFlags,
                    k -> IoUring.fallback(c.sqEntries(), cqArg, baseFlags, USER_DATA_BASE + FALLBACK_TAG));
            r.fallbackResult = Errno.name(fb.errno());
            r.fallbackOk = fb.works();
            r.prediction = fb.setupOk()
                    ? Prediction.learnt(c, fb.params().cqCqes(), fb.params().sqArray(), pageSize)
                    : Prediction.formula(c, atLeast66, pageSize);
            Prediction p = r.prediction;

            // fresh memory per case, in the case's layout
            long sqeAddr, ringsAddr;
            try {
                if (c.edge() == Edge.ALIASED) {
                    sqe = Region.allocateAliased(pageSize);
                    if (sqe.bytes != p.sqeBytes()) {
                        throw new IllegalStateException("the aliased region is 4 pages of " + pageSize
                                + " bytes, the case's SQEs " + p.sqeBytes() + " bytes");
                    }
                    rings = Region.allocate(c.backing(), p.ringBytes(), sizes);
                    sqeAddr = sqe.addr;
                    ringsAddr = rings.addr;
                } else if (c.edge() != null) {
                    sqe = Region.allocate(c.backing(), p.sqeBytes(), sizes);
                    rings = Region.allocate(c.backing(), p.ringBytes(), sizes);
                    sqeAddr = sqe.addr;
                    ringsAddr = edgeAddress(c.edge(), rings, p.ringBytes());
                } else if (c.layout() == Layout.SPAN) {
                    sqe = Region.allocateSpan(c.backing(), p.sqeBytes(), sizes);
                    rings = Region.allocateSpan(c.backing(), p.ringBytes(), sizes);
                    sqeAddr = sqe.addr;
                    ringsAddr = rings.addr;
                } else if (c.layout() == Layout.LIBURING) {
                    buffer = Region.allocate(c.backing(), p.bufferBytes(), sizes);
                    sqeAddr = buffer.addr;
                    ringsAddr = buffer.addr + p.pageAlign(p.sqeBytes());
                } else {
                    sqe = Region.allocate(c.backing(), p.sqeBytes(), sizes);
                    rings = Region.allocate(c.backing(), p.ringBytes(), sizes);
                    sqeAddr = sqe.addr;
                    ringsAddr = rings.addr;
                }
            } catch (Region.AllocFailed e) {
                r.code = ResultCode.ALLOC_FAILED;
                r.errno = e.errno;
                r.allocError = e.getMessage();
                return r;
            }
            // inside liburing's one buffer: the slack after the SQEs and after the rings hold guard bytes too
            long slack1 = sqeAddr + p.sqeBytes(), slack1Len = ringsAddr - slack1;
            long slack2 = ringsAddr + p.ringBytes(), slack2Len = buffer == null ? 0 : buffer.addr + buffer.bytes - slack2;
            RawMemory.fill(slack1, buffer == null ? 0 : slack1Len, Region.GUARD);
            RawMemory.fill(slack2, slack2Len, Region.GUARD);

            // page size and physical contiguity, read BEFORE setup: what the kernel is about to pin
            boolean refused = c.edge() != null && c.edge().refused();
            if (!refused) inspect(r, sqeAddr, p.sqeBytes(), ringsAddr, p.ringBytes());

            // the NO_MMAP setup
            long charged = p.pinnedBytes();
            IoUring.Setup[] setup = new IoUring.Setup[1];
            long sqes = sqeAddr, ringsAt = ringsAddr;
            retryingEnomem(charged, () -> {
                setup[0] = IoUring.setup(c.sqEntries(), cqArg, r.flags, sqes, ringsAt);
                return setup[0].errno();
            });
            IoUring.Setup s = setup[0];
            r.code = s.ok() ? ResultCode.OK : ResultCode.SETUP_FAILED;
            r.errno = s.errno();
            if (s.ok()) {
                fd = s.fd();
                r.actualSq = s.params().sqEntries();
                r.actualCq = s.params().cqEntries();
                if (refused) {
                    r.ringError = "the kernel accepted " + c.edge().id() + " rings memory";
                } else if (s.params().ringsBytes() > p.ringBytes()) {
                    r.ringError = "kernel ring layout (" + s.params().ringsBytes() + " bytes) exceeds the region ("
                            + p.ringBytes() + ")";
                } else {
                    long index = (long) c.index() << 32;
                    IoUring.Traffic t = IoUring.drive(fd, registered, s.params(), ringsAddr, ringsAddr, sqeAddr,
                            USER_DATA_BASE + index, 2L * s.params().cqEntries(),
                            c.edge() == Edge.ALIASED ? 1 : s.params().sqEntries());
                    r.completions = (int) t.completions();
                    r.ringWorks = t.ok();
                    r.ringError = t.error();
                    r.badSlot = t.badSlot();
                }
                IoUring.close(fd, registered);
                fd = -1;
            }
            boolean slackIntact = buffer == null || RawMemory.firstMismatch(slack1, slack1Len, Region.GUARD) < 0
                    && RawMemory.firstMismatch(slack2, slack2Len, Region.GUARD) < 0;
            r.guardsIntact = slackIntact && (buffer != null ? buffer.guardsIntact()
                    : sqe.guardsIntact() && rings.guardsIntact());
        } catch (Exception | LinkageError | AssertionError e) {
            r.code = ResultCode.PROBE_ERROR;
            r.ringWorks = false;
            r.ringError = e.toString();
        } finally {
            if (fd >= 0) {
                IoUring.close(fd, registered);
            }
            if (sqe != null) sqe.free();
            if (rings != null) rings.free();
            if (buffer != null) buffer.free();
            r.micros = (System.nanoTime() - t0) / 1000;
        }
        return r;
    }

    /**
     * The rings address of an edge case. The rings region stays allocated (its guards are checked as usual); the
     * address handed to the kernel is 64 bytes into it, 0, or a mapping made for the case: unmapped again, half
     * unmapped, or read-only. Those mappings are left as they are afterwards (unmapped or never written).
     */
    private long edgeAddress(Edge edge, Region rings, long bytes) throws Region.AllocFailed {
        long len = Region.roundUp(bytes, pageSize);
        return switch (edge) {
            case UNALIGNED -> rings.addr + 64;
            case NULL_ADDRESS -> 0;
            case UNMAPPED -> {
                long a = map(len, LibC.PROT_READ | LibC.PROT_WRITE);
                LibC.munmap(a, len);
                yield a;
            }
            case HALF_UNMAPPED -> {
                long a = map(len, LibC.PROT_READ | LibC.PROT_WRITE);
                long keep = Region.roundUp(len / 2, pageSize);
                LibC.munmap(a + keep, len - keep);
                yield a;
            }
            case READ_ONLY -> map(len, LibC.PROT_READ);
            case ALIASED, ENABLED_RING -> throw new IllegalArgumentException(edge.id() + " is not a rings address");
        };
    }

    static long map(long len, int prot) throws Region.AllocFailed {
        LibC.Ret m = LibC.mmap(0, len, prot, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (m.failed()) throw new Region.AllocFailed("mmap(" + len + ")", m.errno());
        return m.value();
    }

    void inspect(CaseResult r, long sqeAddr, long sqeBytes, long ringsAddr, long ringBytes) {
        ProcFs.Vma[] vmas = ProcFs.selfSmaps(sqeAddr, ringsAddr);
        if (vmas != null) {
            r.sqePageKiB = vmas[0] == null ? null : vmas[0].effectivePageKiB(thpKiB());
            r.ringPageKiB = vmas[1] == null ? null : vmas[1].effectivePageKiB(thpKiB());
        }
        Integer g = gap(sqeAddr, sqeBytes);
        r.sqeContiguous = g == null ? null : g < 0;
        r.sqeFirstGap = g == null || g < 0 ? null : g;
        g = gap(ringsAddr, ringBytes);
        r.ringContiguous = g == null ? null : g < 0;
        r.ringFirstGap = g == null || g < 0 ? null : g;
    }

    /** Page size and contiguity of one structure in caller memory, recorded in the ring* fields. */
    void inspectStructure(CaseResult r, long addr, long bytes) {
        ProcFs.Vma[] vmas = ProcFs.selfSmaps(addr);
        if (vmas != null) r.ringPageKiB = vmas[0] == null ? null : vmas[0].effectivePageKiB(thpKiB());
        Integer g = gap(addr, bytes);
        r.ringContiguous = g == null ? null : g < 0;
        r.ringFirstGap = g == null || g < 0 ? null : g;
    }

    /** The THP size in KiB, as smaps' effective page size of a region all in THPs. */
    private int thpKiB() {
        return (int) (sizes.thp() >> 10);
    }

    private Integer gap(long addr, long bytes) {
        try {
            return ProcFs.firstGap(ProcFs.pagemapPfns(addr, Prediction.pages(bytes, pageSize), pageSize));
        } catch (IOException e) {
            return null;
        }
    }
}
