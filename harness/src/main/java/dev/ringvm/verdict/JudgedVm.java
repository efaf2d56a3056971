package dev.ringvm.verdict;

import dev.ringvm.model.Finding;
import dev.ringvm.model.VmResult;
import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.probe.protocol.Result;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A row of the matrix: one kernel x guest memory, all its boots, its judged cases, and what went wrong with
 * the boots themselves.
 *
 * @param issues  VM-level problems (incomplete boot, console findings, taint): each makes the row's verdict
 * @param cases   judged cases in grid order
 * @param findings console findings per boot name
 */
public record JudgedVm(String cell, String kernel, String release, int memoryMiB, List<VmResult> boots,
                       List<Issue> issues, List<JudgedCase> cases, Map<String, List<Finding>> findings) {

    /**
     * A VM-level problem in one boot.
     *
     * @param excerpt console lines around the first finding (empty when none)
     */
    public record Issue(String boot, Verdict verdict, String reason, String excerpt) {}

    /** The most urgent verdict of the row: its issues and every case. */
    public Verdict verdict() {
        Verdict v = Verdict.PASS;
        for (Issue i : issues) v = v.worst(i.verdict());
        for (JudgedCase c : cases) v = v.worst(c.verdict());
        return v;
    }

    /** The architecture of the row's kernel. */
    public dev.ringvm.config.Arch arch() {
        return boots.getFirst().job().kernel().arch();
    }

    /**
     * The page size the guest ran with, in KiB: the probe's header (AT_PAGESZ) when a boot got that far, else the
     * kernel image's header; 0 when neither says (a host kernel whose probe never started).
     */
    public int pageKiB() {
        for (VmResult b : boots) {
            if (b.guest().header() != null) return b.guest().header().pageSize() / 1024;
        }
        return boots.getFirst().job().kernel().pageKiB();
    }

    /** The guest's default huge page size in KiB as the probe's header says it (/proc/meminfo); null without one. */
    public Long hugePageKiB() {
        for (VmResult b : boots) {
            if (b.guest().header() != null) return b.guest().header().hugePageSizeKiB();
        }
        return null;
    }

    /** {@code x86-64 4K/2M}, {@code arm64 16K/32M}: architecture, page size and default huge page size. */
    public String pagesLabel() {
        int page = pageKiB();
        Long huge = hugePageKiB();
        return arch().id() + " " + (page == 0 ? "?" : page + "K") + "/" + (huge == null ? "?" : size(huge));
    }

    private static String size(long kib) {
        return kib % (1024 * 1024) == 0 ? kib / (1024 * 1024) + "G" : kib % 1024 == 0 ? kib / 1024 + "M" : kib + "K";
    }

    /** Every boot produced its end record. */
    public boolean complete() {
        return boots.stream().allMatch(VmResult::complete);
    }

    /**
     * One heatmap cell: the cases of a case class column ({@code single-page}, {@code memalign}, ...).
     *
     * @param outcomes failure outcome -> count over the column's cases; a case whose repeats differ counts as "varies"
     */
    public record Column(String title, Verdict verdict, int total, int passed, Map<String, Integer> outcomes,
                         List<JudgedCase> cases) {
        /** {@code 25/25 ok}, {@code 0/10 EFAULT}, {@code 7/10 EINVAL×3}; {@code -} when the column is empty. */
        public String summary() {
            if (total == 0) return "-";
            StringBuilder b = new StringBuilder().append(passed).append('/').append(total);
            Map<String, Integer> fails = new TreeMap<>(outcomes);

            if (fails.isEmpty()) return b.append(" ok").toString();
            fails.forEach((o, n) -> b.append(' ').append(o).append(fails.size() > 1 ? "×" + n : ""));
            return b.toString();
        }

        /** The first case whose verdict is the column's verdict: its reason speaks for the column. */
        public JudgedCase representative() {
            return cases.stream().filter(c -> c.verdict() == verdict).findFirst().orElse(null);
        }

        public long count(Verdict v) {
            return cases.stream().filter(c -> c.verdict() == v).count();
        }
    }

    /** The cases of one case class ({@code multi/memalign}): report.json and report.html columns. */
    public Column column(CaseClass caseClass) {
        return column(caseClass.title(), c -> c.caseClass() == caseClass);
    }

    /** The cases one timeline rule judges ({@code multi-4k}: memalign, anon, shared and THP without huge pages). */
    public Column column(CaseClass.Group group) {
        return column(group.key(), c -> c.caseClass().group() == group);
    }

    /** The cases of one terminal matrix column ({@code user-mem}: pbuf-ring, mem-region and resize-rings). */
    public Column column(CaseClass.Column matrixColumn) {
        return column(matrixColumn.title(), c -> c.caseClass().matrixColumn() == matrixColumn);
    }

    private Column column(String title, java.util.function.Predicate<JudgedCase> member) {
        List<JudgedCase> in = cases.stream().filter(member).toList();
        Verdict v = in.isEmpty() ? null : Verdict.PASS;
        int passed = 0;
        Map<String, Integer> outcomes = new TreeMap<>();
        for (JudgedCase c : in) {
            v = c.verdict().worst(v);
            // an edge case passes by being refused, every other case by working
            boolean ok = c.caseClass().judgedByVerdict() ? c.verdict() == Verdict.PASS
                    : c.observations().stream().allMatch(Result::passed);
            if (ok) passed++;
            else outcomes.merge(c.outcomes().size() == 1 ? c.outcome() : "varies", 1, Integer::sum);
        }
        return new Column(title, v, in.size(), passed, outcomes, in);
    }
}
