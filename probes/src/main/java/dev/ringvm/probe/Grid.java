package dev.ringvm.probe;

import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Edge;
import dev.ringvm.probe.protocol.Family;
import dev.ringvm.probe.protocol.GridNames;
import dev.ringvm.probe.protocol.Layout;
import dev.ringvm.probe.protocol.SetupOption;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Named, ordered case lists. A case's id names it across runs and grids; its index is its place in its grid.
 *
 * <p>{@code default} is what liburing users send (src/setup.c, test/init-mem.c, test/reg-fd-only.c, issue #1032)
 * plus the page boundaries of every backing; {@code v1} is the grid of ringvm 0.1 (separate regions, no flags),
 * kept for comparison.
 */
public final class Grid {
    private Grid() {}

    public static final String DEFAULT = GridNames.DEFAULT;
    public static final String V1 = GridNames.V1;

    static final int[] SQ_ONLY = {1, 4, 64, 65, 128, 1024, 4096, 32768};
    static final int[][] SQ_CQ = {{4, 16}, {4, 512}, {64, 128}, {128, 256}, {256, 4096}, {1024, 65536}, {32768, 65536}};

    /**
     * Page boundaries of the separate-regions layout, per backing: {sq, cq} with cq 0 for "no CQSIZE". sq1 fits
     * both regions in one page; sq64 fills the SQE page exactly and sq65 spills into a second; sq128/cq128 has
     * multi-page SQEs and a single-page rings region, sq4/cq512 the reverse (so a report shows which region a
     * kernel refuses); sq256/cq4096 and sq1024 make both regions multi-page. Sizes are bytes: on 16 KiB pages sq65,
     * sq128/cq128 and sq4/cq512 are single-page (sq256 fills the SQE page) and sq256/cq4096 (rings 5 pages) and sq1024
     * (SQEs 4 pages) remain multi-page.
     */
    static final int[][] BOUNDARIES = {{1, 0}, {64, 0}, {65, 0}, {128, 128}, {4, 512}, {256, 4096}, {1024, 0}};

    /** The memory a NO_MMAP setup must refuse, given as the rings region. */
    static final Edge[] RINGS_EDGES = {Edge.UNALIGNED, Edge.NULL_ADDRESS, Edge.UNMAPPED, Edge.HALF_UNMAPPED, Edge.READ_ONLY};

    /**
     * Provided buffer ring entries: 8 KiB, two 4 KiB pages (one 16 KiB page), in every backing (each entry read twice:
     * 1024 reads).
     */
    static final int PBUF_ENTRIES = 512;

    /**
     * Wait region pages per backing (memalign, anon, shared, hugetlb, thp): liburing test/reg-wait.c's 4 and 16
     * pages (vmapped), two hugetlb pages, one THP (on 4 KiB pages; the pages are the guest's, so on 16 KiB pages
     * hugetlb's 1024 pages are 16 MiB, half of one 32 MiB huge page, and THP's 512 a quarter of one THP).
     */
    static final int[] MEM_REGION_PAGES = {4, 16, 4, 1024, 512};

    /** liburing test/init-mem.c: {sq, cq} pairs, each with none / SQE128 / CQE32 / both, under CQSIZE|NO_SQARRAY. */
    static final int[][] INIT_MEM = {{1, 8}, {2, 1024}, {32, 4096}, {128, 8192}, {256, 16384}, {4096, 32768}};

    /** The grid by name on 4 KiB pages; null when unknown. */
    public static List<CaseSpec> named(String name) {
        return named(name, FOUR_KIB);
    }

    /** The grid by name for a guest of {@code pageSize}-byte pages ({@link #defaultGrid(int)}); null when unknown. */
    public static List<CaseSpec> named(String name, int pageSize) {
        return switch (name) {
            case DEFAULT -> defaultGrid(pageSize);
            case V1 -> v1();
            default -> null;
        };
    }

    static final int FOUR_KIB = 4096;

    private static final class Builder {
        final List<CaseSpec> cases = new ArrayList<>();

        void add(Layout layout, Backing b, int sq, int cq, SetupOption... options) {
            Set<SetupOption> o = options.length == 0 ? Set.of() : EnumSet.of(options[0], options);
            cases.add(new CaseSpec(cases.size(), layout, b, sq, cq, cq > 0, o));
        }

        /**
         * Memory the setup must refuse, as the rings region of an anon sq4/cq(512 x scale) ring: rings of 3 pages on
         * every page size (sq4/cq512 on 4 KiB pages, sq4/cq2048 on 16 KiB), so that half of it can be unmapped.
         */
        void edge(Edge e, int scale) {
            cases.add(new CaseSpec(cases.size(), Layout.SEPARATE, Backing.ANON, 4, 512 * scale, true, Set.of(), e));
        }

        void family(Family f, Backing b, int sq, int cq, Edge e, SetupOption... options) {
            Set<SetupOption> o = options.length == 0 ? Set.of() : EnumSet.of(options[0], options);
            cases.add(new CaseSpec(cases.size(), Layout.SEPARATE, b, sq, cq, cq > 0, o, e, f));
        }

        List<CaseSpec> build() {
            return Collections.unmodifiableList(cases);
        }
    }

    /**
     * The default grid:
     * <ol>
     * <li>separate regions, every backing, the {@link #BOUNDARIES} sizes;</li>
     * <li>the largest ring of 4 KiB pages: memalign sq4096 (SQEs 64 pages, rings 33 pages);</li>
     * <li>SQE128, CQE32, both and NO_SQARRAY without CQSIZE (memalign sq128);</li>
     * <li>liburing's one-buffer layout in every backing: #1032's 512 entries with CQSIZE and alone, and init-mem's
     *     smallest and a middle pair under NO_SQARRAY;</li>
     * <li>init-mem.c's whole table in liburing's layout in a hugetlb buffer (one 2 MiB page on x86-64), as its huge
     *     page helper has it;</li>
     * <li>REGISTERED_FD_ONLY|NO_MMAP as test/reg-fd-only.c sets it up: 8 entries (one page) and 512 (a huge page);</li>
     * <li>memory the setup must refuse ({@link Edge}), as the rings region of an anon sq4/cq512 ring.</li>
     * <li>regions across two huge pages ({@link Layout#SPAN}) in hugetlb and THP;</li>
     * <li>the aliased SQE region ({@link Edge#ALIASED});</li>
     * <li>the other structures in caller memory ({@link Family}): a provided buffer ring in every backing, a wait
     *     region in every backing plus the three registrations test/reg-wait.c expects refused, and two resizes.</li>
     * </ol>
     */
    public static List<CaseSpec> defaultGrid() {
        return defaultGrid(FOUR_KIB);
    }

    /**
     * {@link #defaultGrid()} for a guest of {@code pageSize}-byte pages. Every case keeps its size in bytes, so the
     * page boundaries move with the page size (on 16 KiB pages sq128's 8 KiB of SQEs are one page, and sq256/cq4096
     * and sq1024 remain multi-page), except the two shapes that are defined by their pages: the refused rings region
     * of the edges (3 pages: cq 512 x pageSize / 4 KiB) and the aliased SQE region (4 pages: sq and cq 128 x pageSize
     * / 4 KiB with SQE128). On 4 KiB pages the ids are those of {@link #defaultGrid()}; the size and order of the grid
     * never change.
     */
    public static List<CaseSpec> defaultGrid(int pageSize) {
        int scale = Math.max(1, pageSize / FOUR_KIB);
        Builder g = new Builder();
        for (Backing b : Backing.values()) {
            for (int[] s : BOUNDARIES) g.add(Layout.SEPARATE, b, s[0], s[1]);
        }
        g.add(Layout.SEPARATE, Backing.MEMALIGN, 4096, 0);
        g.add(Layout.SEPARATE, Backing.MEMALIGN, 128, 0, SetupOption.SQE128);
        g.add(Layout.SEPARATE, Backing.MEMALIGN, 128, 0, SetupOption.CQE32);
        g.add(Layout.SEPARATE, Backing.MEMALIGN, 128, 0, SetupOption.SQE128, SetupOption.CQE32);
        g.add(Layout.SEPARATE, Backing.MEMALIGN, 128, 0, SetupOption.NO_SQARRAY);
        for (Backing b : Backing.values()) {
            g.add(Layout.LIBURING, b, 512, 4096);
            g.add(Layout.LIBURING, b, 512, 0);
            if (b != Backing.HUGETLB) { // hugetlb has them below, with the rest of init-mem's table
                g.add(Layout.LIBURING, b, 1, 8, SetupOption.NO_SQARRAY);
                g.add(Layout.LIBURING, b, 32, 4096, SetupOption.NO_SQARRAY);
            }
        }
        SetupOption[][] flags = {{}, {SetupOption.SQE128}, {SetupOption.CQE32}, {SetupOption.SQE128, SetupOption.CQE32}};
        for (SetupOption[] f : flags) {
            for (int[] p : INIT_MEM) {
                SetupOption[] o = new SetupOption[f.length + 1];
                o[0] = SetupOption.NO_SQARRAY;
                System.arraycopy(f, 0, o, 1, f.length);
                g.add(Layout.LIBURING, Backing.HUGETLB, p[0], p[1], o);
            }
        }
        g.add(Layout.SEPARATE, Backing.MEMALIGN, 8, 0, SetupOption.REGISTERED_FD_ONLY);
        g.add(Layout.LIBURING, Backing.HUGETLB, 512, 0, SetupOption.REGISTERED_FD_ONLY);
        for (Edge e : RINGS_EDGES) g.edge(e, scale);
        // regions across two huge pages: contiguous only by luck on 6.6.5-6.9
        g.add(Layout.SPAN, Backing.HUGETLB, 256, 4096);
        g.add(Layout.SPAN, Backing.THP, 256, 4096);
        // 820d070feb66's aliased region: 4 SQE pages (sq128 with SQE128 on 4 KiB pages), the first and last one memfd page
        g.cases.add(new CaseSpec(g.cases.size(), Layout.SEPARATE, Backing.SHARED, 128 * scale, 128 * scale, true,
                Set.of(SetupOption.SQE128), Edge.ALIASED));
        for (Backing b : Backing.values()) g.family(Family.PBUF_RING, b, PBUF_ENTRIES, 0, null);
        for (int i = 0; i < Backing.values().length; i++) {
            g.family(Family.MEM_REGION, Backing.values()[i], MEM_REGION_PAGES[i], 0, null);
        }
        for (Edge e : new Edge[] {Edge.NULL_ADDRESS, Edge.READ_ONLY, Edge.ENABLED_RING}) {
            g.family(Family.MEM_REGION, Backing.ANON, 1, 0, e);
        }
        // NO_SQARRAY as liburing sets it on 6.6+: without it the params RESIZE_RINGS writes back say sq_off.array 0
        // (docs/verdicts.md), and liburing's own resize helper refuses NO_MMAP rings
        g.family(Family.RESIZE_RINGS, Backing.MEMALIGN, 256, 4096, null, SetupOption.NO_SQARRAY);
        g.family(Family.RESIZE_RINGS, Backing.HUGETLB, 256, 4096, null, SetupOption.NO_SQARRAY);
        return g.build();
    }

    /** ringvm 0.1's grid: per backing, 8 SQ-only sizes, then 7 (sq, cq) CQSIZE pairs; separate regions. */
    public static List<CaseSpec> v1() {
        Builder g = new Builder();
        for (Backing b : Backing.values()) {
            for (int sq : SQ_ONLY) g.add(Layout.SEPARATE, b, sq, 0);
            for (int[] p : SQ_CQ) g.add(Layout.SEPARATE, b, p[0], p[1]);
        }
        return g.build();
    }

    /** Cases whose id matches {@code regex} (find semantics); all when regex is null. Indexes are kept. */
    public static List<CaseSpec> filter(List<CaseSpec> cases, String regex) {
        if (regex == null) {
            return cases;
        }
        Pattern p = Pattern.compile(regex);
        List<CaseSpec> out = new ArrayList<>();
        for (CaseSpec c : cases) {
            if (p.matcher(c.id()).find()) {
                out.add(c);
            }
        }
        return out;
    }
}
