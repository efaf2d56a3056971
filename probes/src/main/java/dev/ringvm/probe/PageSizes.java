package dev.ringvm.probe;

import dev.ringvm.probe.ffm.LibC;
import dev.ringvm.probe.protocol.Backing;

/**
 * The guest's page sizes, in bytes: base pages ({@code AT_PAGESZ}: 4 KiB on x86-64, 4, 16 or 64 KiB on arm64), the
 * default hugetlb page ({@code Hugepagesize} of /proc/meminfo, 0 when the kernel has no hugetlbfs) and the THP size
 * (a PMD: {@code /sys/kernel/mm/transparent_hugepage/hpage_pmd_size}; 2 MiB on 4K pages, 32 MiB on 16K, 512 MiB on
 * 64K). Every size the probe allocates, aligns and counts pages in comes from here.
 *
 * @param thpFromKernel the THP size was read from hpage_pmd_size (else derived from the page size: no THP support)
 */
record PageSizes(int page, long hugetlb, long thp, boolean thpFromKernel) {

    /**
     * The largest huge page the huge cases use: 32 MiB (arm64 16K's PMD). A case needs up to two huge pages per
     * region and two regions; 64K kernels' 512 MiB pages would need 2 GiB of guest memory for one case.
     */
    static final long MAX_HUGE = 32L << 20;

    /** x86-64's sizes: 4 KiB pages, 2 MiB hugetlb and THP pages. */
    static final PageSizes X86_64 = new PageSizes(4096, 2L << 20, 2L << 20, true);

    /** The size of a PMD mapping on {@code page}-sized pages: a page table of page / 8 entries of one page each. */
    static long pmdSize(int page) {
        return (long) page * (page / 8);
    }

    /** The sizes of this guest: AT_PAGESZ, /proc/meminfo, /sys. */
    static PageSizes ofThisKernel() {
        int page = LibC.getpagesize();
        String meminfo = ProcFs.read("/proc/meminfo");
        Long hugeKiB = meminfo == null ? null : ProcFs.field(meminfo, "Hugepagesize");
        Long pmd = ProcFs.number("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
        return of(page, hugeKiB, pmd);
    }

    /** From the raw facts: Hugepagesize in KiB (null when absent), hpage_pmd_size in bytes (null when absent). */
    static PageSizes of(int page, Long hugetlbKiB, Long pmdBytes) {
        boolean known = pmdBytes != null && pmdBytes > 0;
        return new PageSizes(page, hugetlbKiB == null ? 0 : hugetlbKiB * 1024, known ? pmdBytes : pmdSize(page), known);
    }

    /** Bytes rounded up to whole pages. */
    long pageAlign(long bytes) {
        return Prediction.pageAlign(bytes, page);
    }

    /**
     * The huge page size a huge backing uses; AllocFailed (errno 0: no call was made) when there is none or it is
     * larger than {@link #MAX_HUGE}.
     */
    long huge(Backing b) throws Region.AllocFailed {
        long size = switch (b) {
            case HUGETLB -> hugetlb;
            case THP -> thp;
            case MEMALIGN, ANON, SHARED -> throw new IllegalArgumentException(b + " is not a huge backing");
        };
        String what = b == Backing.HUGETLB ? "hugetlb page (Hugepagesize of /proc/meminfo)"
                : "transparent huge page (hpage_pmd_size)";
        if (size <= 0) {
            throw new Region.AllocFailed("no default " + what + ": the kernel has no hugetlbfs");
        }
        if (size > MAX_HUGE) {
            throw new Region.AllocFailed("the " + what + " is " + (size >> 10) + " KiB, larger than the "
                    + (MAX_HUGE >> 10) + " KiB the probe's huge page cases allow (" + (page >> 10) + " KiB pages;"
                    + " a case needs up to four huge pages at once)");
        }
        return size;
    }
}
