package dev.ringvm.probe.protocol;

/**
 * The one vocabulary for classes of cases: the matrix columns, the keys of a kernels.yaml {@code expect:}, and the
 * timeline groups of the expectation model all derive from it. DOMAIN.md's timeline separates cases whose regions
 * each fit in one page from multi-page ones, and multi-page ones by the pages their backing gives them.
 */
public enum CaseClass {
    SINGLE_PAGE(null),
    MULTI_MEMALIGN(Backing.MEMALIGN),
    MULTI_ANON(Backing.ANON),
    MULTI_SHARED(Backing.SHARED),
    MULTI_HUGETLB(Backing.HUGETLB),
    MULTI_THP(Backing.THP),
    /** Memory the setup must refuse ({@link Edge}): judged by its own rule, not by the timeline's pages. */
    EDGE(null);

    /** The expectation model's rows name outcomes per group: the pages a region lies on decide the rule. */
    public enum Group {
        SINGLE_PAGE("single-page"),
        MULTI_4K("multi-4k"),
        MULTI_HUGETLB("multi-hugetlb"),
        MULTI_THP("multi-thp"),
        EDGE("edge");

        private final String key;

        Group(String key) { this.key = key; }

        /** The key in expectations.yaml and in a kernels.yaml {@code expect:}. */
        public String key() { return key; }
    }

    private final Backing backing;

    CaseClass(Backing backing) { this.backing = backing; }

    /** The class of a case: single-page when both regions fit in one page, else its backing's multi-page class. */
    public static CaseClass of(Backing backing, boolean singlePage) {
        if (singlePage) return SINGLE_PAGE;
        return switch (backing) {
            case MEMALIGN -> MULTI_MEMALIGN;
            case ANON -> MULTI_ANON;
            case SHARED -> MULTI_SHARED;
            case HUGETLB -> MULTI_HUGETLB;
            case THP -> MULTI_THP;
        };
    }

    /** Column id in reports: {@code single-page}, or the backing's name for a multi-page class. */
    public String column() {
        if (this == EDGE) return "edge";
        return backing == null ? "single-page" : backing.id();
    }

    /** Column title in the terminal matrix: {@code single-page}, {@code multi/memalign}. */
    public String title() {
        if (this == EDGE) return "edge";
        return backing == null ? "single-page" : "multi/" + backing.id();
    }

    /** The key a kernels.yaml {@code expect:} names this class by: {@code single-page}, {@code multi-memalign}. */
    public String key() {
        if (this == EDGE) return "edge";
        return backing == null ? "single-page" : "multi-" + backing.id();
    }

    /** The timeline group: which NO_MMAP rule applies to regions of this class. */
    public Group group() {
        if (this == EDGE) return Group.EDGE;
        if (backing == null) return Group.SINGLE_PAGE;
        return switch (backing) {
            case HUGETLB -> Group.MULTI_HUGETLB;
            case THP -> Group.MULTI_THP;
            case MEMALIGN, ANON, SHARED -> Group.MULTI_4K;
        };
    }

    /** The class whose {@link #column()} is {@code column}; IllegalArgumentException for an unknown one. */
    public static CaseClass ofColumn(String column) {
        return WireNames.byId(values(), CaseClass::column, column, "case class");
    }
}
