package dev.ringvm.probe;

import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.Errno;
import dev.ringvm.probe.ffm.LibC;
import dev.ringvm.probe.ffm.RawMemory;

/**
 * One caller-provided region (SQE array or rings) inside its own allocation, with guard bytes around it.
 *
 * <p>Pages are the guest's ({@link PageSizes}: AT_PAGESZ, the default hugetlb page, the THP PMD size).
 *
 * <p>Base-page backings (memalign, anon, shared): the allocation is the region rounded up to whole pages plus one
 * page before and one after; the region starts at page 1. Guard before = page 0; guard after = from the region's
 * last byte to the allocation end (the slack in the region's last page plus the trailing page).
 *
 * <p>Huge backings (hugetlb, thp): the region must start at a huge page boundary to sit in one huge page, so there
 * is no guard before it. The allocation is the region rounded up to the huge page size (no extra huge page just for
 * guards); guard after = from the region end up to one page past the region's last page, capped at the allocation
 * end (so a region of exactly one huge page has no guard after).
 *
 * <p>Guards hold {@link #GUARD}; the region is zero. Only region and guards are touched (TCG pays per byte).
 */
final class Region {
    static final byte GUARD = (byte) 0xA5;

    final Backing backing;
    final long addr;
    final long bytes;
    final long guardBeforeAddr, guardBeforeLen, guardAfterAddr, guardAfterLen;
    private final long mapAddr, mapLen; // what to munmap/free
    private boolean freed;

    private Region(Backing backing, long mapAddr, long mapLen, long addr, long bytes, long gbAddr, long gbLen,
                   long gaAddr, long gaLen) {
        this.backing = backing;
        this.mapAddr = mapAddr;
        this.mapLen = mapLen;
        this.addr = addr;
        this.bytes = bytes;
        this.guardBeforeAddr = gbAddr;
        this.guardBeforeLen = gbLen;
        this.guardAfterAddr = gaAddr;
        this.guardAfterLen = gaLen;
    }

    /** Allocation failed: errno and a message naming the call. */
    static final class AllocFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        AllocFailed(String call, int errno) {
            super(call + ": " + Errno.name(errno));
            this.errno = errno;
        }

        /** Nothing was allocated because no call could do it: errno 0, the message says why. */
        AllocFailed(String why) {
            super(why);
            this.errno = 0;
        }
    }

    static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    /** Allocates, fills guards and zeroes/touches the region. */
    static Region allocate(Backing backing, long bytes, PageSizes sizes) throws AllocFailed {
        int pageSize = sizes.page();
        long rounded = roundUp(bytes, pageSize);
        int rw = LibC.PROT_READ | LibC.PROT_WRITE;
        Region r;
        switch (backing) {
            case MEMALIGN, ANON, SHARED -> {
                long len = rounded + 2L * pageSize;
                long base;
                if (backing == Backing.MEMALIGN) {
                    LibC.Ret m = LibC.posixMemalign(pageSize, len);
                    if (m.failed()) {
                        throw new AllocFailed("posix_memalign(" + pageSize + ", " + len + ")", m.errno());
                    }
                    base = m.value();
                } else {
                    int flags = (backing == Backing.ANON ? LibC.MAP_PRIVATE : LibC.MAP_SHARED) | LibC.MAP_ANONYMOUS;
                    LibC.Ret m = LibC.mmap(0, len, rw, flags, -1, 0);
                    if (m.failed()) {
                        throw new AllocFailed("mmap(" + len + ", " + backing.id() + ")", m.errno());
                    }
                    base = m.value();
                }
                long addr = base + pageSize;
                r = new Region(backing, base, len, addr, bytes, base, pageSize, addr + bytes,
                        base + len - (addr + bytes));
                populate(r, base, len, pageSize);
                if (backing == Backing.MEMALIGN) {
                    RawMemory.fill(addr, bytes, (byte) 0); // malloc memory may be recycled; fresh mappings are zero
                }
            }
            case HUGETLB, THP -> {
                long huge = sizes.huge(backing);
                long len = roundUp(bytes, huge);
                long[] m = mapHuge(backing, len, huge);
                long mapAddr = m[0], mapLen = m[1], addr = m[2];
                long gaEnd = Math.min(addr + len, addr + rounded + pageSize);
                r = new Region(backing, mapAddr, mapLen, addr, bytes, addr, 0, addr + bytes, gaEnd - (addr + bytes));
                populate(r, addr, len, pageSize); // kernel-zeroed
            }
            default -> throw new IllegalArgumentException(backing.toString());
        }
        RawMemory.fill(r.guardBeforeAddr, r.guardBeforeLen, GUARD);
        RawMemory.fill(r.guardAfterAddr, r.guardAfterLen, GUARD);
        return r;
    }

    /**
     * {@code len} bytes (a multiple of {@code huge}) of huge pages starting at a {@code huge} boundary:
     * MAP_SHARED|MAP_HUGETLB with the default huge page size encoded (MAP_HUGE_2MB on x86-64, MAP_HUGE_32MB on arm64
     * 16K) as liburing maps it, or an anonymous mapping over-allocated by one huge page, aligned,
     * madvise(MADV_HUGEPAGE). Returns {what to munmap, its length, the aligned start}.
     */
    private static long[] mapHuge(Backing backing, long len, long huge) throws AllocFailed {
        int rw = LibC.PROT_READ | LibC.PROT_WRITE;
        if (backing == Backing.HUGETLB) {
            LibC.Ret m = LibC.mmap(0, len, rw, LibC.MAP_SHARED | LibC.MAP_ANONYMOUS | LibC.MAP_HUGETLB
                    | LibC.mapHuge(huge), -1, 0);
            if (m.failed()) throw new AllocFailed("mmap(" + len + ", MAP_HUGETLB|MAP_HUGE_" + hugeName(huge) + ")", m.errno());
            return new long[] {m.value(), len, m.value()};
        }
        long mapLen = len + huge;
        LibC.Ret m = LibC.mmap(0, mapLen, rw, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (m.failed()) throw new AllocFailed("mmap(" + mapLen + ", thp)", m.errno());
        long addr = roundUp(m.value(), huge);
        int e = LibC.madvise(addr, len, LibC.MADV_HUGEPAGE);
        if (e != 0) {
            LibC.munmap(m.value(), mapLen);
            throw new AllocFailed("madvise(" + len + ", MADV_HUGEPAGE)", e);
        }
        return new long[] {m.value(), mapLen, addr};
    }

    /** {@code 2MB}, {@code 32MB}: a huge page size as the MAP_HUGE_ macros name it. */
    static String hugeName(long huge) {
        return huge >= 1L << 30 ? (huge >> 30) + "GB" : (huge >> 20) + "MB";
    }

    /**
     * A region across a huge page boundary ({@code Layout.SPAN}): an allocation of two huge pages (hugetlb, or
     * THP by madvise), the region starting {@code roundUp(bytes / 2, pageSize)} before the boundary between them
     * (at least one page), so that it lies in both. Guards: one page before the region and up to one page after it,
     * inside the allocation.
     */
    static Region allocateSpan(Backing backing, long bytes, PageSizes sizes) throws AllocFailed {
        int pageSize = sizes.page();
        if (!backing.huge()) throw new IllegalArgumentException("span in " + backing);
        long huge = sizes.huge(backing);
        if (bytes > huge) throw new IllegalArgumentException("span of " + bytes + " in " + backing);
        long len = 2 * huge;
        long[] m = mapHuge(backing, len, huge);
        long mapAddr = m[0], mapLen = m[1], base = m[2];
        long before = Math.max(pageSize, roundUp(bytes / 2, pageSize));
        long addr = base + huge - before;
        long gaEnd = Math.min(base + len, addr + roundUp(bytes, pageSize) + pageSize);
        Region r = new Region(backing, mapAddr, mapLen, addr, bytes, addr - pageSize, pageSize, addr + bytes,
                gaEnd - (addr + bytes));
        populate(r, base, len, pageSize);
        RawMemory.fill(r.guardBeforeAddr, r.guardBeforeLen, GUARD);
        RawMemory.fill(r.guardAfterAddr, r.guardAfterLen, GUARD);
        return r;
    }

    /**
     * An SQE region of four pages whose first and last pages are one page of a memfd mapped twice (MAP_SHARED,
     * MAP_FIXED), with two private anonymous pages between them, inside a reservation with a guard page on each
     * side: the aliased region of {@code Edge.ALIASED}.
     */
    static Region allocateAliased(int pageSize) throws AllocFailed {
        int rw = LibC.PROT_READ | LibC.PROT_WRITE;
        long len = 6L * pageSize;
        LibC.Ret m = LibC.mmap(0, len, rw, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (m.failed()) throw new AllocFailed("mmap(" + len + ")", m.errno());
        long base = m.value(), addr = base + pageSize;
        Region r = new Region(Backing.SHARED, base, len, addr, 4L * pageSize, base, pageSize, addr + 4L * pageSize, pageSize);
        LibC.Ret fd = LibC.memfdCreate();
        if (fd.failed()) {
            r.free();
            throw new AllocFailed("memfd_create", fd.errno());
        }
        try {
            int e = LibC.ftruncate((int) fd.value(), pageSize);
            if (e != 0) throw new AllocFailed("ftruncate(memfd, " + pageSize + ")", e);
            for (long at : new long[] {addr, addr + 3L * pageSize}) {
                LibC.Ret a = LibC.mmap(at, pageSize, rw, LibC.MAP_SHARED | LibC.MAP_FIXED, (int) fd.value(), 0);
                if (a.failed()) throw new AllocFailed("mmap(memfd page, MAP_FIXED)", a.errno());
            }
        } catch (AllocFailed e) {
            r.free();
            throw e;
        } finally {
            LibC.close((int) fd.value());
        }
        populate(r, base, len, pageSize);
        RawMemory.fill(r.guardBeforeAddr, r.guardBeforeLen, GUARD);
        RawMemory.fill(r.guardAfterAddr, r.guardAfterLen, GUARD);
        return r;
    }

    /**
     * Faults every page of [start, start+len) in for writing, as a write to each page would (COW broken, huge
     * pages allocated where the mapping allows them), so pagemap and smaps show what the kernel will pin. One
     * madvise(MADV_POPULATE_WRITE) instead of a page fault per page: under TCG each user page fault is an
     * emulated exception, and the largest regions have ~770 pages. Kernels before 5.14 answer EINVAL: then one
     * byte per page is written.
     */
    private static void populate(Region r, long start, long len, int pageSize) throws AllocFailed {
        int e = LibC.madvise(start, len, LibC.MADV_POPULATE_WRITE);
        if (e == Errno.EINVAL) {
            RawMemory.touch(start, len, pageSize, (byte) 0);
        } else if (e != 0) {
            r.free();
            throw new AllocFailed("madvise(" + len + ", MADV_POPULATE_WRITE)", e);
        }
    }

    /** True when every guard byte still holds the pattern. */
    boolean guardsIntact() {
        return RawMemory.firstMismatch(guardBeforeAddr, guardBeforeLen, GUARD) < 0
                && RawMemory.firstMismatch(guardAfterAddr, guardAfterLen, GUARD) < 0;
    }

    int pages(int pageSize) {
        return (int) (roundUp(bytes, pageSize) / pageSize);
    }

    /** Releases the allocation; idempotent. */
    void free() {
        if (freed) {
            return;
        }
        freed = true;
        if (backing == Backing.MEMALIGN) {
            // Deliberately never handed back to malloc. Closing a NO_MMAP ring only starts the kernel's
            // asynchronous teardown (io_ring_exit_work), which may still write the rings and unpins the pages
            // later; heap memory reused by malloc in that window gets corrupted (seen as a SIGSEGV in libc
            // on the host, 1 run in 6). A grid leaks a few MiB this way; mmap backings are unmapped, which is
            // safe because the kernel keeps its own references to the pinned pages.
            return;
        } else {
            LibC.munmap(mapAddr, mapLen);
        }
    }
}
