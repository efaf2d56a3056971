package dev.ringvm.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kernels.yaml {@code expect:} override for one kernel (distribution kernels carry backports, repro kernels
 * are patched to behave like an older release). Null on {@link KernelEntry} when the key is absent.
 *
 * @param reason    free text shown with every verdict the override decides (required: a person must know why)
 * @param releaseAs judge the kernel as if it were this upstream version (e.g. {@code 6.5.0}), null to use its own
 * @param outcomes  case class key -> allowed outcomes ({@code ok}, an errno name, or several joined by {@code |})
 */
public record Expectations(String reason, String releaseAs, Map<String, Set<String>> outcomes) {

    /** Case class keys an override may name; the specific 4 KiB backings win over {@code multi-4k}. */
    public static final List<String> KEYS = List.of("single-page", "multi-hugetlb", "multi-thp", "multi-4k",
            "multi-memalign", "multi-anon", "multi-shared");

    public Expectations {
        outcomes = Map.copyOf(outcomes);
    }

    /** Parses {@code ok|EINVAL}; null when an item is neither {@code ok} nor an errno-like name (E + capitals/digits). */
    public static Set<String> parseOutcomes(String text) {
        if (text == null || text.isBlank()) return null;
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String item : text.split("\\|", -1)) {
            String s = item.strip();
            if (!s.equals("ok") && !s.matches("E[A-Z0-9]+")) return null;
            out.add(s);
        }
        return Set.copyOf(out);
    }
}
