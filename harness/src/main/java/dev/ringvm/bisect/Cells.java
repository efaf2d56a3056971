package dev.ringvm.bisect;

import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A step's judged boots as the bisect sees them: one entry per chosen case and memory size ({@code "512M
 * memalign/sq65" -> "REGRESSION EFAULT"}, VM-level problems as {@code "512M vm"}) and the step's answer. Pure.
 */
final class Cells {
    private Cells() {}

    /** Case and VM-level verdicts of every row, keyed by memory label and case id. */
    static Map<String, String> of(Judgement j) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JudgedVm row : j.vms()) {
            String mem = row.memoryMiB() + "M";
            Verdict vmVerdict = null;
            String vmReason = "";
            for (JudgedVm.Issue i : row.issues()) {
                if (vmVerdict == null || i.verdict().compareTo(vmVerdict) < 0) {
                    vmVerdict = i.verdict();
                    vmReason = i.reason();
                }
            }
            if (vmVerdict != null) out.put(mem + " vm", vmVerdict.name() + " " + vmReason);
            for (JudgedCase c : row.cases()) out.put(mem + " " + c.id(), c.verdict().name() + " " + c.outcome());
        }
        return out;
    }

    /** The answer and its one-line reason: SKIP on INFRA or FLAKY, BAD on REGRESSION or FIXED, else GOOD. */
    static Decision decide(Judgement j) {
        if (j.vms().isEmpty()) return new Decision(Answer.SKIP, "no VM result");
        List<String> infra = new ArrayList<>();
        List<String> flaky = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (JudgedVm row : j.vms()) {
            String mem = row.memoryMiB() + "M";
            for (JudgedVm.Issue i : row.issues()) {
                if (i.verdict() == Verdict.INFRA) infra.add(mem + ": " + i.reason());
                else if (i.verdict().unexpected()) bad.add(mem + ": " + i.verdict() + " " + i.reason());
            }
            for (JudgedCase c : row.cases()) {
                switch (c.verdict()) {
                    case INFRA -> infra.add(mem + " " + c.id() + ": " + c.reason());
                    case FLAKY -> flaky.add(mem + " " + c.id() + " " + c.outcome());
                    case REGRESSION, FIXED -> bad.add(mem + " " + c.id() + ": " + c.verdict() + " " + c.outcome());
                    case KNOWN_BUG, UNSUPPORTED, PASS -> { }
                }
            }
        }
        if (!infra.isEmpty()) return new Decision(Answer.SKIP, "INFRA: " + first(infra));
        if (!flaky.isEmpty()) return new Decision(Answer.SKIP, "FLAKY: " + first(flaky));
        if (!bad.isEmpty()) return new Decision(Answer.BAD, first(bad));
        int n = j.vms().stream().mapToInt(v -> v.cases().size()).sum();
        return new Decision(Answer.GOOD, n + " cases as expected");
    }

    private static String first(List<String> items) {
        return items.getFirst() + (items.size() > 1 ? " (+" + (items.size() - 1) + " more)" : "");
    }

    record Decision(Answer answer, String reason) {}

    /** The entries whose value differs between {@code before} and {@code after}: key -> {before, after}. */
    static Map<String, String[]> diff(Map<String, String> before, Map<String, String> after) {
        Map<String, String[]> out = new LinkedHashMap<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            String b = before.getOrDefault(k, "-");
            String a = after.getOrDefault(k, "-");
            if (!b.equals(a)) out.put(k, new String[] {b, a});
        }
        return out;
    }
}
