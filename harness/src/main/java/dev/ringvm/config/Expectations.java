package dev.ringvm.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ringvm.probe.protocol.CaseClass;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A kernels.yaml {@code expect:} override for one kernel (distribution kernels carry backports, repro kernels
 * are patched to behave like an older release). Null on {@link KernelEntry} when the key is absent.
 *
 * @param reason    free text shown with every verdict the override decides (required: a person must know why)
 * @param releaseAs judge the kernel as if it were this upstream version (e.g. {@code 6.5.0}), null to use its own
 * @param outcomes  case class key -> allowed outcomes ({@code ok}, an errno name, or several joined by {@code |})
 */
public record Expectations(String reason, String releaseAs, Map<String, Set<String>> outcomes) {

    /**
     * Keys an override may name: every case class ({@code multi-memalign}, ...) and every timeline group
     * ({@code multi-4k}, ...); a class's own key wins over its group's.
     */
    public static final List<String> KEYS = Stream.concat(
                    Arrays.stream(CaseClass.Group.values()).map(CaseClass.Group::key),
                    Arrays.stream(CaseClass.values()).map(CaseClass::key))
            .distinct().toList();

    /**
     * As run.json and report.json write it: {@code reason}, {@code release-as} when set, then each key with its
     * outcomes joined by {@code |}, keys and outcomes sorted.
     */
    @JsonValue
    public Map<String, String> toJson() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("reason", reason);
        if (releaseAs != null) o.put("release-as", releaseAs);
        new TreeMap<>(outcomes).forEach((k, v) -> o.put(k, String.join("|", new TreeSet<>(v))));
        return o;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Expectations fromJson(Map<String, String> json) {
        Map<String, Set<String>> outcomes = new LinkedHashMap<>();
        json.forEach((k, v) -> {
            if (!k.equals("reason") && !k.equals("release-as")) outcomes.put(k, parseOutcomes(v));
        });
        return new Expectations(json.get("reason"), json.get("release-as"), outcomes);
    }

    /** The outcomes this override allows for {@code c}, or null when it says nothing about it. */
    public Set<String> allowed(CaseClass c) {
        Set<String> o = outcomes.get(c.key());
        return o != null ? o : outcomes.get(c.group().key());
    }

    public Expectations {
        outcomes = Map.copyOf(outcomes);
    }

    /** Outcomes that are neither {@code ok} nor an errno: what a kernel does wrong after accepting the memory. */
    public static final Set<String> NAMED_OUTCOMES = Set.of("ring-corrupt", "last-slot-reads-0");

    /**
     * Parses {@code ok|EINVAL}; null when an item is neither {@code ok}, an errno-like name (E + capitals/digits) nor
     * one of {@link #NAMED_OUTCOMES}.
     */
    public static Set<String> parseOutcomes(String text) {
        if (text == null || text.isBlank()) return null;
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String item : text.split("\\|", -1)) {
            String s = item.strip();
            if (!s.equals("ok") && !s.matches("E[A-Z0-9]+") && !NAMED_OUTCOMES.contains(s)) return null;
            out.add(s);
        }
        return Set.copyOf(out);
    }
}
