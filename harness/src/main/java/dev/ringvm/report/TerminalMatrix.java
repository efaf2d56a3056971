package dev.ringvm.report;

import dev.ringvm.run.CaseClass;
import dev.ringvm.run.CaseResult;
import dev.ringvm.run.RunSummary;
import dev.ringvm.run.UnavailableKernel;
import dev.ringvm.run.VmResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The terminal matrix: a row per kernel x memory, a column per case class (single-page, then multi-page per
 * backing); a cell is {@code passed/total} plus the distinct failure outcomes with their counts, e.g.
 * {@code 0/12 EINVAL} or {@code 9/12 EINVAL×3}.
 */
public final class TerminalMatrix {
    private TerminalMatrix() {}

    public static String render(RunSummary s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("kernel", "release", "mem", "vm"));
        CaseClass.COLUMNS.forEach(c -> head.add(CaseClass.title(c)));
        rows.add(head);
        for (VmResult vm : s.vms()) {
            List<String> row = new ArrayList<>();
            row.add(vm.job().kernel().id());
            row.add(vm.guest().release() != null ? vm.guest().release() : vm.job().kernel().release());
            row.add(vm.job().memoryMiB() + "M");
            row.add(vm.complete() ? "ok" : vm.status().name());
            for (String column : CaseClass.COLUMNS) row.add(cell(vm.guest().cases(), column));
            rows.add(row);
        }
        StringBuilder out = new StringBuilder(table(rows));
        for (VmResult vm : s.vms()) {
            if (!vm.complete()) {
                out.append(vm.job().name()).append(": ").append(vm.status()).append(": ").append(vm.detail())
                        .append(" (console: ").append(vm.consoleLog()).append(")\n");
            }
        }
        for (UnavailableKernel u : s.unavailable()) {
            out.append(u.id()).append(": unavailable: ").append(u.reason()).append('\n');
        }
        long cases = s.vms().stream().mapToLong(v -> v.guest().cases().size()).sum();
        long passed = s.vms().stream().flatMap(v -> v.guest().cases().stream()).filter(CaseResult::passed).count();
        out.append(String.format("%d of %d VMs complete, %d cases, %d passed, accel %s; records in %s%n",
                s.vms().stream().filter(VmResult::complete).count(), s.planned(), cases, passed, s.accel(),
                s.outDir()));
        return out.toString();
    }

    static String cell(List<CaseResult> cases, String column) {
        int total = 0;
        int passed = 0;
        Map<String, Integer> failures = new TreeMap<>();
        for (CaseResult c : cases) {
            if (!c.caseClass().equals(column)) continue;
            total++;
            if (c.passed()) passed++;
            else failures.merge(c.outcome(), 1, Integer::sum);
        }
        if (total == 0) return "-";
        StringBuilder b = new StringBuilder().append(passed).append('/').append(total);
        if (failures.isEmpty()) return b.append(" ok").toString();
        failures.forEach((outcome, n) -> {
            b.append(' ').append(outcome);
            if (failures.size() > 1) b.append('×').append(n);
        });
        return b.toString();
    }

    static String table(List<List<String>> rows) {
        int cols = rows.getFirst().size();
        int[] width = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r.get(i).length());
        StringBuilder b = new StringBuilder();
        for (List<String> r : rows) {
            for (int i = 0; i < cols; i++) {
                String v = r.get(i);
                b.append(v);
                if (i < cols - 1) b.append(" ".repeat(width[i] - v.length() + 2));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
