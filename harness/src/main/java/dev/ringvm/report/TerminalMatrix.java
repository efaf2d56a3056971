package dev.ringvm.report;

import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmResult;
import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The terminal report: a verdict matrix (a row per kernel x memory, a column per case class; a cell is its
 * verdict and {@code passed/total} plus the failure outcomes), then every cell that is not PASS with its reason,
 * then totals. Colour (ANSI) only when asked: on a terminal without NO_COLOR.
 */
public final class TerminalMatrix {
    private TerminalMatrix() {}

    /** Colour when stdout is a terminal and NO_COLOR is not set (no-color.org). */
    public static boolean colourWanted() {
        String no = System.getenv("NO_COLOR");
        return System.console() != null && (no == null || no.isEmpty());
    }

    public static String render(Judgement j) {
        return render(j, false);
    }

    public static String render(Judgement j, boolean colour) {
        List<List<String>> rows = new ArrayList<>();
        List<List<Verdict>> shade = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("kernel", "release", "arch page/huge", "mem", "vm"));
        for (CaseClass.Column c : CaseClass.Column.values()) head.add(c.title());
        rows.add(head);
        shade.add(null);
        for (JudgedVm vm : j.vms()) {
            List<String> row = new ArrayList<>();
            List<Verdict> vs = new ArrayList<>(List.of(Verdict.PASS, Verdict.PASS, Verdict.PASS, Verdict.PASS));
            row.add(vm.kernel());
            row.add(vm.release() == null ? "?" : clip(vm.release()));
            row.add(vm.pagesLabel());
            row.add(vm.boots().getFirst().job().memoryLabel() + (vm.boots().size() > 1 ? " x" + vm.boots().size() : ""));
            Verdict bootVerdict = vm.issues().stream().map(JudgedVm.Issue::verdict).reduce(Verdict.PASS, Verdict::worst);
            row.add(vm.complete() ? (bootVerdict == Verdict.PASS ? "ok" : "ok!") : vm.boots().stream()
                    .filter(b -> !b.complete()).findFirst().map(b -> b.status().name()).orElse("?"));
            vs.add(bootVerdict);
            for (CaseClass.Column column : CaseClass.Column.values()) {
                JudgedVm.Column col = vm.column(column);
                row.add(cell(col));
                vs.add(col.verdict());
            }
            rows.add(row);
            shade.add(vs);
        }
        StringBuilder out = new StringBuilder(table(rows, shade, colour));

        List<String> notes = new ArrayList<>();
        for (JudgedVm vm : j.vms()) {
            for (JudgedVm.Issue i : vm.issues()) {
                String console = vm.boots().stream().filter(b -> b.job().name().equals(i.boot()))
                        .map(b -> String.valueOf(b.consoleLog())).findFirst().orElse("?");
                notes.add(paint(i.verdict(), i.verdict().name(), colour) + "  " + i.boot() + " vm: " + i.reason()
                        + " (console: " + console + ")");
            }
            // one line per row and verdict, worst first: the columns it covers, its case count, the first reason
            Map<Verdict, List<JudgedCase>> by = new TreeMap<>();
            Map<Verdict, List<CaseClass.Column>> columns = new TreeMap<>();
            for (CaseClass.Column column : CaseClass.Column.values()) {
                for (JudgedCase c : vm.column(column).cases()) {
                    if (c.verdict() == Verdict.PASS) continue;
                    by.computeIfAbsent(c.verdict(), k -> new ArrayList<>()).add(c);
                    List<CaseClass.Column> cols = columns.computeIfAbsent(c.verdict(), k -> new ArrayList<>());
                    if (!cols.contains(column)) cols.add(column);
                }
            }
            by.forEach((v, cs) -> {
                List<CaseClass.Column> cols = columns.get(v);
                String where = cols.size() == CaseClass.Column.values().length ? "every column"
                        : String.join(", ", cols.stream().map(CaseClass.Column::title).toList());
                notes.add(paint(v, v.name(), colour) + "  " + vm.cell() + " " + where + ": "
                        + (cs.size() == 1 ? cs.getFirst().id() : cs.size() + " cases, e.g. " + cs.getFirst().id())
                        + ": " + cs.getFirst().reason());
            });
        }
        for (UnavailableKernel u : j.run().unavailable()) {
            notes.add((u.integrity() ? "INTEGRITY    " : "UNAVAILABLE  ") + u.id() + ": " + u.reason());
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append(n).append('\n'));
        }
        out.append('\n');
        StringBuilder totals = new StringBuilder();
        j.totals().forEach((v, n) -> totals.append(totals.isEmpty() ? "" : ", ").append(v.name()).append(' ').append(n));
        j.vmTotals().forEach((v, n) -> totals.append(totals.isEmpty() ? "" : ", ").append("VM ").append(v.name()).append(' ').append(n));
        long complete = j.run().vms().stream().filter(VmResult::complete).count();
        RunStatus.notes(j).forEach(n -> out.append(n).append('\n'));
        if (!j.run().context().missingShards().isEmpty()) {
            out.append("missing shards: ").append(j.run().context().missingShards()).append('\n');
        }
        long cases = j.vms().stream().mapToLong(v -> v.cases().size()).sum();
        out.append(String.format("%d cases: %s%n%d of %d VMs complete, accel %s, exit %s; records in %s%n", cases,
                totals.isEmpty() ? "none" : totals, complete, j.run().planned(), j.run().accel(), RunStatus.exitLabel(j),
                j.run().outDir()));
        return out.toString();
    }

    /** Widest release shown; report.html and report.json have it whole. */
    static final int RELEASE_WIDTH = 16;

    static String clip(String release) {
        return release.length() <= RELEASE_WIDTH ? release : release.substring(0, RELEASE_WIDTH - 1) + "…";
    }

    /**
     * A matrix cell, short enough for a row of the default grid to fit in 160 columns: the verdict, passed/total,
     * then the outcomes of the cases that did not pass, except what the verdict already says (no "ok" after a clean
     * count, no "EINVAL" after UNSUP, which is what UNSUPPORTED means).
     */
    static String cell(JudgedVm.Column col) {
        if (col.total() == 0) return "-";
        String s = col.summary();
        if (s.endsWith(" ok")) s = s.substring(0, s.length() - 3);
        if (col.verdict() == Verdict.UNSUPPORTED && s.endsWith(" EINVAL")) s = s.substring(0, s.length() - 7);
        return short_(col.verdict()) + " " + s;
    }

    static String short_(Verdict v) {
        return switch (v) {
            case PASS -> "PASS";
            case KNOWN_BUG -> "KNOWN";
            case UNSUPPORTED -> "UNSUP";
            case REGRESSION -> "REGR";
            case FIXED -> "FIXED";
            case FLAKY -> "FLAKY";
            case INFRA -> "INFRA";
        };
    }

    static String paint(Verdict v, String text, boolean colour) {
        if (!colour || v == null) return text;
        String code = switch (v) {
            case PASS -> "32";
            case KNOWN_BUG -> "33";
            case UNSUPPORTED -> "2";
            case REGRESSION -> "1;31";
            case FIXED -> "1;36";
            case FLAKY -> "1;35";
            case INFRA -> "1;34";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    /** Columns padded by visible width; colour codes wrap the padded text so alignment holds. */
    static String table(List<List<String>> rows, List<List<Verdict>> shade, boolean colour) {
        int cols = rows.getFirst().size();
        int[] width = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        for (int ri = 0; ri < rows.size(); ri++) {
            List<String> r = rows.get(ri);
            for (int i = 0; i < cols; i++) {
                String v = r.get(i);
                Verdict s = shade.get(ri) == null ? null : shade.get(ri).get(i);
                b.append(i >= 3 && s != null && !v.equals("-") ? paint(s, v, colour) : v);
                if (i < cols - 1) b.append(" ".repeat(width[i] - v.length() + 2));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
