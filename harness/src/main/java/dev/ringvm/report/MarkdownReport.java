package dev.ringvm.report;

import dev.ringvm.model.RunSummary;

import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;

import java.util.ArrayList;
import java.util.List;

/** report.md: a summary fit for a pull-request comment: headline, verdict table, what is not PASS and why. */
final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(Judgement j) {
        StringBuilder b = new StringBuilder();
        int exit = RunStatus.exitCode(j);
        String headline = switch (exit) {
            case 0 -> "nothing unexpected";
            case 1 -> "unexpected results (regression, fixed or flaky)";
            default -> "infrastructure problems (some results are missing)";
        };
        b.append("### ringvm: ").append(headline).append("\n\n");
        if (j.run().context().interrupted() || j.run().context().running()) {
            RunSummary.Stop stop = j.run().context().stop();
            String what = j.run().context().running() ? "**Running**: not yet run: "
                    : stop != null && !stop.bySignal() ? "**Stopped** (" + stop.reason() + "): not run: "
                    : "**Interrupted** (" + (stop == null ? "interrupted" : stop.reason()) + ", exit " + exit + "): not run: ";
            b.append(what).append(String.join(", ", j.run().context().notRun())).append(".\n\n");
        }
        if (j.run().nothingTested()) b.append("**Nothing was tested**: no VM and no host probe ran.\n\n");
        if (!j.run().context().missingShards().isEmpty()) {
            b.append("**Missing shards** ").append(j.run().context().missingShards())
                    .append(": their cells have no results.\n\n");
        }
        StringBuilder totals = new StringBuilder();
        j.totals().forEach((v, n) -> totals.append(totals.isEmpty() ? "" : " · ").append(v.name()).append(' ').append(n));
        b.append(j.vms().stream().mapToLong(v -> v.cases().size()).sum()).append(" cases on ").append(j.vms().size())
                .append(" kernel × memory rows (").append(j.run().vms().size()).append(" boots, accel ").append(j.run().accel())
                .append("): ").append(totals.isEmpty() ? "none" : totals).append(". Exit code ").append(exit).append(".\n\n");
        b.append("| kernel | release | arch page/huge | mem |");
        for (CaseClass.Group c : CaseClass.Group.values()) b.append(' ').append(c.key()).append(" |");
        b.append("\n|---|---|---|---|");
        b.append("---|".repeat(CaseClass.Group.values().length));
        b.append('\n');
        for (JudgedVm vm : j.vms()) {
            b.append("| ").append(vm.kernel()).append(vm.issues().isEmpty() ? "" : " ⚠").append(" | `").append(vm.release())
                    .append("` | ").append(vm.pagesLabel()).append(" | ").append(vm.boots().getFirst().job().memoryLabel())
                    .append(" |");
            for (CaseClass.Group c : CaseClass.Group.values()) {
                JudgedVm.Column col = vm.column(c);
                if (col.total() == 0) { b.append(" – |"); continue; }
                String label = col.verdict().name();
                if (col.verdict().unexpected() || col.verdict() == Verdict.INFRA) label = "**" + label + "**";
                b.append(' ').append(label).append(' ').append(col.summary()).append(" |");
            }
            b.append('\n');
        }
        List<String> items = new ArrayList<>();
        for (JudgedVm vm : j.vms()) {
            for (JudgedVm.Issue i : vm.issues()) items.add("- **" + i.verdict() + "** `" + i.boot() + "`: " + escape(i.reason()));
            for (CaseClass.Group c : CaseClass.Group.values()) {
                JudgedVm.Column col = vm.column(c);
                if (col.total() == 0 || col.verdict() == Verdict.PASS) continue;
                JudgedCase rep = col.representative();
                long n = col.count(col.verdict());
                items.add("- **" + col.verdict() + "** `" + vm.cell() + "` " + c.key() + " (" + n + " of "
                        + col.total() + " cases, e.g. `" + rep.id() + "`): " + escape(rep.reason()));
            }
        }
        for (UnavailableKernel u : j.run().unavailable()) items.add("- **UNAVAILABLE** `" + u.id() + "`: " + escape(u.reason()));
        if (!items.isEmpty()) {
            b.append("\n<details><summary>").append(items.size()).append(" cells not PASS</summary>\n\n");
            items.forEach(i -> b.append(i).append('\n'));
            b.append("\n</details>\n");
        }
        b.append("\nFull report: `report.html`; every record: `report.json`.\n");
        return b.toString();
    }

    static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;");
    }
}
