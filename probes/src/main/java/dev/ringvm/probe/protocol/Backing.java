package dev.ringvm.probe.protocol;

/** Where the caller-provided ring memory comes from. Declaration order is grid order; {@link #id()} is the wire name. */
public enum Backing {
    /** posix_memalign, page aligned, base pages (4 KiB on x86-64), not physically contiguous. */
    MEMALIGN("memalign"),
    /** mmap MAP_PRIVATE|MAP_ANONYMOUS. */
    ANON("anon"),
    /** mmap MAP_SHARED|MAP_ANONYMOUS (shmem backed). */
    SHARED("shared"),
    /**
     * mmap MAP_SHARED|MAP_HUGETLB with the default huge page size (2 MiB on x86-64, 32 MiB on arm64 16K), as liburing
     * maps it; the region starts at a huge page start.
     */
    HUGETLB("hugetlb"),
    /** mmap over-allocated, aligned to the THP size (hpage_pmd_size), madvise(MADV_HUGEPAGE), then touched. */
    THP("thp");

    private final String id;

    Backing(String id) { this.id = id; }

    /** Name used in case ids and records. */
    public String id() { return id; }

    /** True when the region must start at a huge page boundary (no room for a guard before it). */
    public boolean huge() { return this == HUGETLB || this == THP; }

    /** The backing whose wire name is {@code id}; IllegalArgumentException for an unknown one. */
    public static Backing of(String id) {
        return WireNames.byId(values(), Backing::id, id, "backing");
    }
}
