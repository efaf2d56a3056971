package dev.ringvm.verdict;

import dev.ringvm.model.ExitCode;
import dev.ringvm.model.RunSummary;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A run with every row and case judged; the exit code follows from it (DESIGN.md). */
public record Judgement(RunSummary run, List<JudgedVm> vms) {

    /**
     * 1 when any case or VM is REGRESSION, FIXED or FLAKY (what the run found about kernels wins); else 3 when
     * anything is INFRA, a planned VM did not finish, or a kernel was unavailable; else 0.
     */
    public ExitCode exitCode() {
        boolean unexpected = vms.stream().anyMatch(v -> v.verdict().unexpected());
        if (unexpected) return ExitCode.UNEXPECTED;
        boolean infra = vms.stream().anyMatch(v -> v.verdict() == Verdict.INFRA);
        return infra || run.exitCode() != ExitCode.OK ? ExitCode.INFRA : ExitCode.OK;
    }

    /** Case counts per verdict, plus rows whose VM-level issues decide them. */
    public Map<Verdict, Integer> totals() {
        Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
        for (JudgedVm v : vms) for (JudgedCase c : v.cases()) n.merge(c.verdict(), 1, Integer::sum);
        return n;
    }

    /** VM-level issues per verdict (incomplete boots, console findings, taint), counted per boot. */
    public Map<Verdict, Integer> vmTotals() {
        Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
        for (JudgedVm v : vms) for (JudgedVm.Issue i : v.issues()) n.merge(i.verdict(), 1, Integer::sum);
        return n;
    }
}
