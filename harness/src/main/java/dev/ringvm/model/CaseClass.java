package dev.ringvm.model;

import java.util.List;

/** Matrix columns: DOMAIN.md's timeline distinguishes single-page cases from multi-page ones per backing. */
public final class CaseClass {
    public static final String SINGLE_PAGE = "single-page";
    /** Column order of the terminal matrix; backings as the probe names them. */
    public static final List<String> COLUMNS = List.of(SINGLE_PAGE, "memalign", "anon", "shared", "hugetlb", "thp");

    private CaseClass() {}

    public static String title(String column) {
        return column.equals(SINGLE_PAGE) ? column : "multi/" + column;
    }
}
