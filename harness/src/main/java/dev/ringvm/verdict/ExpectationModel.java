package dev.ringvm.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ringvm.config.Expectations;
import dev.ringvm.probe.protocol.CaseClass;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The upstream timeline (resource {@code expectations.yaml}) as rows of version ranges -> outcomes per case class. */
public final class ExpectationModel {

    /** One timeline row. */
    public record Row(String name, List<KernelVersion[]> ranges, boolean unsupported,
                      Map<CaseClass.Group, Set<String>> expect, Set<CaseClass.Group> contiguity,
                      Set<CaseClass.Group> refuses, Set<CaseClass.Group> memlockCharged, String why) {
        boolean touches(KernelVersion lo, KernelVersion hi) {
            for (KernelVersion[] r : ranges) {
                if (hi.compareTo(r[0]) >= 0 && lo.compareTo(r[1]) <= 0) return true;
            }
            return false;
        }

        public String rangeText() {
            List<String> parts = new ArrayList<>();
            for (KernelVersion[] r : ranges) parts.add(show(r[0], true) + ".." + show(r[1], false));
            return String.join(", ", parts);
        }

        private static String show(KernelVersion v, boolean low) {
            if (v.major() == 0 && low) return "";
            if (v.major() == Integer.MAX_VALUE) return "";
            return v.toString();
        }
    }

    /**
     * What the model says for one kernel and case class.
     *
     * @param allowed     outcomes that are as expected
     * @param rows        the timeline rows that decided it (several when the sublevel is unknown)
     * @param override    the kernels.yaml reason when an override decided it, else null
     * @param version     the version judged (after release-as), null when the release is not a version
     */
    public record Expectation(Set<String> allowed, List<Row> rows, String override, KernelVersion version) {
        public boolean unsupported() {
            return override == null && !rows.isEmpty() && rows.stream().allMatch(Row::unsupported);
        }

        public boolean needsContiguity(CaseClass.Group group) {
            return override == null && rows.stream().anyMatch(r -> r.contiguity().contains(group));
        }

        /** Every row says an allowed errno of this group is the right answer (a refusal), not a known bug. */
        public boolean refusal(CaseClass.Group group) {
            return override == null && !rows.isEmpty() && rows.stream().allMatch(r -> r.refuses().contains(group));
        }

        /**
         * The memory of cases of {@code group} is charged to RLIMIT_MEMLOCK (for callers without CAP_IPC_LOCK) on
         * every row that decided this expectation: then ENOMEM is the answer exactly where it exceeds the limit.
         */
        public boolean memlockCharged(CaseClass.Group group) {
            return override == null && !rows.isEmpty() && rows.stream().allMatch(r -> r.memlockCharged().contains(group));
        }

        /** "6.6.5..6.6.83, 6.7-rc4..6.9.*" or the override's reason. */
        public String where() {
            if (override != null) return "kernels.yaml: " + override;
            return rows.stream().map(Row::rangeText).reduce((a, b) -> a + "; " + b).orElse("no timeline row");
        }

        public String allowedText() {
            return String.join("|", allowed.stream()
                    .sorted(java.util.Comparator.comparing((String o) -> !o.equals("ok")).thenComparing(o -> o)).toList());
        }
    }

    private final List<Row> rows;

    private ExpectationModel(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    private static final ExpectationModel DEFAULT = load();

    public static ExpectationModel standard() {
        return DEFAULT;
    }

    public List<Row> rows() {
        return rows;
    }

    static ExpectationModel load() {
        try (InputStream in = ExpectationModel.class.getResourceAsStream("/expectations.yaml")) {
            if (in == null) throw new IllegalStateException("expectations.yaml missing from the classpath");
            return parse(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ExpectationModel parse(JsonNode root) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : root.path("rows")) {
            List<KernelVersion[]> ranges = new ArrayList<>();
            for (JsonNode range : r.path("ranges")) {
                String[] ab = range.asText().split("\\.\\.", 2);
                KernelVersion lo = ab[0].equals("*") ? new KernelVersion(0, 0, 0, 1) : KernelVersion.bound(ab[0]);
                KernelVersion hi = ab[1].equals("*") ? new KernelVersion(Integer.MAX_VALUE, 0, 0, 0) : KernelVersion.bound(ab[1]);
                ranges.add(new KernelVersion[] {lo, hi});
            }
            Map<CaseClass.Group, Set<String>> expect = new EnumMap<>(CaseClass.Group.class);
            for (CaseClass.Group g : CaseClass.Group.values()) {
                if (!g.timeline()) continue; // judged by Judge.edge, not by the timeline
                Set<String> allowed = Expectations.parseOutcomes(r.path("expect").path(g.key()).asText(null));
                if (allowed == null) throw new IllegalStateException("expectations.yaml: row " + r.path("name").asText() + ": bad or missing " + g.key());
                expect.put(g, allowed);
            }
            Set<CaseClass.Group> contiguity = EnumSet.noneOf(CaseClass.Group.class);
            for (JsonNode c : r.path("contiguity")) contiguity.add(group(c.asText()));
            Set<CaseClass.Group> refuses = EnumSet.noneOf(CaseClass.Group.class);
            for (JsonNode c : r.path("refuses")) refuses.add(group(c.asText()));
            Set<CaseClass.Group> charged = EnumSet.noneOf(CaseClass.Group.class);
            for (JsonNode c : r.path("memlockCharged")) charged.add(group(c.asText()));
            rows.add(new Row(r.path("name").asText(), List.copyOf(ranges), r.path("unsupported").asBoolean(),
                    Map.copyOf(expect), Set.copyOf(contiguity), Set.copyOf(refuses), Set.copyOf(charged),
                    r.path("why").asText()));
        }
        return new ExpectationModel(rows);
    }

    private static CaseClass.Group group(String key) {
        for (CaseClass.Group g : CaseClass.Group.values()) {
            if (g.key().equals(key)) return g;
        }
        throw new IllegalStateException("expectations.yaml: unknown group " + key);
    }

    /** Expected outcomes for a kernel release and a case class, with the kernels.yaml override (may be null) applied. */
    public Expectation expect(String release, CaseClass caseClass, Expectations override) {
        CaseClass.Group group = caseClass.group();
        String releaseText = override != null && override.releaseAs() != null ? override.releaseAs() : release;
        KernelVersion v = KernelVersion.parse(releaseText).orElse(null);
        if (override != null) {
            Set<String> o = override.allowed(caseClass);
            if (o != null) return new Expectation(o, List.of(), override.reason(), v);
        }
        if (v == null) return new Expectation(Set.of(), List.of(), null, null);
        List<Row> hit = rows.stream().filter(r -> r.touches(v.lowest(), v.highest())).toList();
        Set<String> allowed = new LinkedHashSet<>();
        hit.forEach(r -> allowed.addAll(r.expect().getOrDefault(group, Set.of()))); // EDGE: no timeline outcomes
        return new Expectation(Set.copyOf(allowed), hit, null, v);
    }
}
