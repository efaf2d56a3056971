package dev.ringvm.verdict;

import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.probe.protocol.Result;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One probe case of one kernel x memory, over all its boots.
 *
 * @param observations the case's result in each boot that reached it (repeat order)
 */
public record JudgedCase(String id, CaseClass caseClass, List<Result> observations,
                         ExpectationModel.Expectation expectation, Verdict verdict, String reason) {

    /** The outcome a person reads: {@code ok}, {@code EINVAL}, or {@code ok×2 EINVAL×1} across repeats. */
    public String outcome() {
        Map<String, Integer> n = outcomes();
        if (n.size() == 1) return n.keySet().iterator().next();
        StringBuilder b = new StringBuilder();
        n.forEach((o, c) -> b.append(b.isEmpty() ? "" : " ").append(o).append('×').append(c));
        return b.toString();
    }

    public Map<String, Integer> outcomes() {
        Map<String, Integer> n = new LinkedHashMap<>();
        for (Result c : observations) n.merge(c.outcome(), 1, Integer::sum);
        return n;
    }

    /** The first observation (the one shown when repeats agree). */
    public Result first() {
        return observations.getFirst();
    }
}
