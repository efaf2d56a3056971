package dev.ringvm.probe;

import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.CaseSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** Named, ordered case lists. The order is part of the record format: never reorder, only append new grids. */
public final class Grid {
    private Grid() {}

    public static final String DEFAULT = "default";

    static final int[] SQ_ONLY = {1, 4, 64, 65, 128, 1024, 4096, 32768};
    static final int[][] SQ_CQ = {{4, 16}, {4, 512}, {64, 128}, {128, 256}, {256, 4096}, {1024, 65536}, {32768, 65536}};

    /** The grid by name; null when unknown. */
    public static List<CaseSpec> named(String name) {
        return DEFAULT.equals(name) ? defaultGrid() : null;
    }

    /** Per backing (memalign, anon, shared, hugetlb, thp): 8 SQ-only sizes, then 7 (sq, cq) CQSIZE pairs. */
    public static List<CaseSpec> defaultGrid() {
        List<CaseSpec> cases = new ArrayList<>(75);
        for (Backing b : Backing.values()) {
            for (int sq : SQ_ONLY) {
                cases.add(new CaseSpec(cases.size(), b, sq, 0, false));
            }
            for (int[] p : SQ_CQ) {
                cases.add(new CaseSpec(cases.size(), b, p[0], p[1], true));
            }
        }
        return Collections.unmodifiableList(cases);
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
