package dev.ringvm.probe.protocol;

/**
 * The one vocabulary for classes of cases: the report columns, the keys of a kernels.yaml {@code expect:}, and the
 * timeline groups of the expectation model all derive from it. DOMAIN.md's timeline separates cases whose regions
 * each fit in one page from multi-page ones, and multi-page ones by the pages their backing gives them; regions
 * across two huge pages, the aliased region, and the other structures in caller memory have timelines of their own.
 */
public enum CaseClass {
    SINGLE_PAGE("single-page", "single-page", "single-page", Group.SINGLE_PAGE, Column.SINGLE_PAGE),
    MULTI_MEMALIGN("memalign", "multi/memalign", "multi-memalign", Group.MULTI_4K, Column.MULTI_4K),
    MULTI_ANON("anon", "multi/anon", "multi-anon", Group.MULTI_4K, Column.MULTI_4K),
    MULTI_SHARED("shared", "multi/shared", "multi-shared", Group.MULTI_4K, Column.MULTI_4K),
    MULTI_HUGETLB("hugetlb", "multi/hugetlb", "multi-hugetlb", Group.MULTI_HUGETLB, Column.MULTI_HUGETLB),
    MULTI_THP("thp", "multi/thp", "multi-thp", Group.MULTI_THP, Column.MULTI_THP),
    /** Regions that start inside one hugetlb page and end in the next ({@link Layout#SPAN}). */
    SPAN_HUGETLB("span-hugetlb", "span/hugetlb", "span-hugetlb", Group.HUGE_SPAN, Column.MULTI_HUGETLB),
    /** Regions that start inside one transparent huge page and end in the next ({@link Layout#SPAN}). */
    SPAN_THP("span-thp", "span/thp", "span-thp", Group.HUGE_SPAN, Column.MULTI_THP),
    /** The SQE region whose first and last pages are one physical page ({@link Edge#ALIASED}). */
    ALIASED("aliased", "aliased", "aliased", Group.ALIASED, Column.EDGE),
    PBUF_RING("pbuf-ring", "pbuf-ring", "pbuf-ring", Group.PBUF_RING, Column.USER_MEM),
    MEM_REGION("mem-region", "mem-region", "mem-region", Group.MEM_REGION, Column.USER_MEM),
    RESIZE_RINGS("resize-rings", "resize-rings", "resize-rings", Group.RESIZE_RINGS, Column.USER_MEM),
    /** Memory the setup or registration must refuse ({@link Edge#refused()}): judged by its errno, not a timeline. */
    EDGE("edge", "edge", "edge", Group.EDGE, Column.EDGE);

    /** The expectation model's rows name outcomes per group: which rule applies to the memory a case uses. */
    public enum Group {
        SINGLE_PAGE("single-page"),
        MULTI_4K("multi-4k"),
        MULTI_HUGETLB("multi-hugetlb"),
        MULTI_THP("multi-thp"),
        HUGE_SPAN("huge-span"),
        ALIASED("aliased"),
        PBUF_RING("pbuf-ring"),
        MEM_REGION("mem-region"),
        RESIZE_RINGS("resize-rings"),
        EDGE("edge");

        private final String key;

        Group(String key) { this.key = key; }

        /** The key in expectations.yaml and in a kernels.yaml {@code expect:}. */
        public String key() { return key; }

        /** False for {@link #EDGE}: judged by the errno each edge must get, not by timeline rows. */
        public boolean timeline() { return this != EDGE; }
    }

    /**
     * The terminal matrix's columns: few enough that a row of the default grid fits in 160 columns. Regions across
     * two huge pages sit with their backing, the aliased region with the edges, the other structures under
     * {@code user-mem}; report.json, report.html and the Markdown summary keep every class or group apart.
     */
    public enum Column {
        SINGLE_PAGE("single-page"),
        MULTI_4K("multi-4k"),
        MULTI_HUGETLB("multi-hugetlb"),
        MULTI_THP("multi-thp"),
        EDGE("edge"),
        USER_MEM("user-mem");

        private final String title;

        Column(String title) { this.title = title; }

        public String title() { return title; }
    }

    private final String column;
    private final String title;
    private final String key;
    private final Group group;
    private final Column matrixColumn;

    CaseClass(String column, String title, String key, Group group, Column matrixColumn) {
        this.column = column;
        this.title = title;
        this.key = key;
        this.group = group;
        this.matrixColumn = matrixColumn;
    }

    /** The class of a rings case in the separate or liburing layout: single-page when both regions fit in one page. */
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

    /** Column id in report.json and report.html: {@code single-page}, a backing's name, {@code pbuf-ring}. */
    public String column() { return column; }

    /** Column title in report.html: {@code single-page}, {@code multi/memalign}, {@code span/thp}. */
    public String title() { return title; }

    /** The key a kernels.yaml {@code expect:} names this class by: {@code single-page}, {@code multi-memalign}. */
    public String key() { return key; }

    /** The timeline group: which rule applies to cases of this class. */
    public Group group() { return group; }

    /** The terminal matrix column this class is counted in. */
    public Column matrixColumn() { return matrixColumn; }

    /** A case of this class passes by being refused as its rule says (edges, and the aliased region where refused). */
    public boolean judgedByVerdict() { return this == EDGE || this == ALIASED; }

    /** The class whose {@link #column()} is {@code column}; IllegalArgumentException for an unknown one. */
    public static CaseClass ofColumn(String column) {
        return WireNames.byId(values(), CaseClass::column, column, "case class");
    }
}
