package dev.ringvm.verdict;

import dev.ringvm.run.VmResult;

import java.util.List;

/**
 * A row of the matrix: one kernel x guest memory, all its boots, its judged cases, and what went wrong with
 * the boots themselves.
 *
 * @param issues  VM-level problems (incomplete boot, console findings, taint): each makes the row's verdict
 * @param cases   judged cases in grid order
 * @param findings console findings per boot name
 */
public record JudgedVm(String cell, String kernel, String release, int memoryMiB, List<VmResult> boots,
                       List<Issue> issues, List<JudgedCase> cases, java.util.Map<String, List<Finding>> findings) {

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

    /** Every boot produced its end record. */
    public boolean complete() {
        return boots.stream().allMatch(VmResult::complete);
    }
}
