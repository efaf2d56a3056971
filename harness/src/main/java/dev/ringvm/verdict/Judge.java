package dev.ringvm.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringvm.config.Expectations;
import dev.ringvm.model.CaseResult;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verdict rules (docs/verdicts.md). Pure over its inputs (the console logs are read through
 * {@link ConsoleScanner}); every rule returns a one-line reason a person can act on.
 */
public final class Judge {
    private static final Set<Verdict> AS_EXPECTED = Set.of(Verdict.PASS, Verdict.KNOWN_BUG, Verdict.UNSUPPORTED);

    private final ExpectationModel model;

    public Judge(ExpectationModel model) {
        this.model = model;
    }

    public static Judgement standard(RunSummary s) {
        return new Judge(ExpectationModel.standard()).judge(s);
    }

    public Judgement judge(RunSummary s) {
        Map<String, List<VmResult>> byCell = new LinkedHashMap<>();
        for (VmResult vm : s.vms()) byCell.computeIfAbsent(vm.job().cell(), k -> new ArrayList<>()).add(vm);
        List<JudgedVm> rows = new ArrayList<>();
        byCell.forEach((cell, boots) -> rows.add(row(cell, boots)));
        return new Judgement(s, rows);
    }

    JudgedVm row(String cell, List<VmResult> boots) {
        VmResult first = boots.getFirst();
        String release = boots.stream().map(b -> b.guest().release()).filter(r -> r != null).findFirst()
                .orElse(first.job().kernel().release());
        Expectations override = first.job().expect();
        List<JudgedVm.Issue> issues = new ArrayList<>();
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        for (VmResult b : boots) {
            List<Finding> f = ConsoleScanner.scan(b.consoleLog());
            findings.put(b.job().name(), f);
            issues.addAll(bootIssues(b, f));
        }
        // cases in grid order over all boots
        Map<Integer, List<CaseResult>> byIndex = new java.util.TreeMap<>();
        for (VmResult b : boots) for (CaseResult c : b.guest().cases()) byIndex.computeIfAbsent(c.index(), k -> new ArrayList<>()).add(c);
        List<JudgedCase> cases = new ArrayList<>();
        for (List<CaseResult> obs : byIndex.values()) {
            CaseResult c0 = obs.getFirst();
            ExpectationModel.Expectation e = model.expect(release, c0.caseClass(), override);
            JsonNode header = first.guest().header();
            cases.add(aggregate(c0.id(), c0.caseClass(), obs, e, header));
        }
        return new JudgedVm(cell, first.job().kernel().id(), release, first.job().memoryMiB(), List.copyOf(boots),
                List.copyOf(issues), List.copyOf(cases), findings);
    }

    /** Problems of one boot that are not about a single case: incomplete record set, console findings, taint. */
    static List<JudgedVm.Issue> bootIssues(VmResult b, List<Finding> findings) {
        List<JudgedVm.Issue> out = new ArrayList<>();
        String name = b.job().name();
        Finding firstFinding = findings.isEmpty() ? null : findings.getFirst();
        if (!b.complete()) {
            String during = b.guest().interruptedCase().map(c -> "; case " + c + " was running").orElse("");
            String why = b.status() + ": " + b.detail();
            if (!why.contains("during case") && !during.isEmpty()) why += during;
            if (firstFinding != null) why += "; first console finding: " + firstFinding.summary();
            why += "; " + b.guest().cases().size() + " results before it are kept";
            out.add(new JudgedVm.Issue(name, Verdict.INFRA, why,
                    firstFinding != null ? firstFinding.excerpt() : consoleTail(b.consoleLog(), 15)));
            return out;
        }
        if (firstFinding != null) {
            String more = findings.size() > 1 ? " (+" + (findings.size() - 1) + " more)" : "";
            out.add(new JudgedVm.Issue(name, Verdict.REGRESSION,
                    "kernel " + firstFinding.summary() + more + " although the grid completed", firstFinding.excerpt()));
        }
        JsonNode h = b.guest().header();
        JsonNode e = b.guest().end();
        if (h != null && e != null && h.path("tainted").isNumber() && e.path("tainted").isNumber()) {
            long before = h.path("tainted").asLong();
            long after = e.path("tainted").asLong();
            if (after != before) {
                out.add(new JudgedVm.Issue(name, Verdict.REGRESSION, "kernel became tainted during the grid: "
                        + ConsoleScanner.taintLetters(before) + " -> " + ConsoleScanner.taintLetters(after)
                        + " (" + before + " -> " + after + "); see console.log",
                        firstFinding != null ? firstFinding.excerpt() : ""));
            }
        }
        return out;
    }

    /** Repeats: FLAKY when outcomes differ and the expectation does not allow all of them. */
    static JudgedCase aggregate(String id, String caseClass, List<CaseResult> obs, ExpectationModel.Expectation e,
                                JsonNode header) {
        List<Verdict> vs = new ArrayList<>();
        List<String> rs = new ArrayList<>();
        for (CaseResult c : obs) {
            String[] reason = new String[1];
            vs.add(one(c, e, header, reason));
            rs.add(reason[0]);
        }
        int worst = 0;
        for (int i = 1; i < vs.size(); i++) if (vs.get(i).compareTo(vs.get(worst)) < 0) worst = i;
        JudgedCase probe = new JudgedCase(id, caseClass, obs, e, vs.get(worst), rs.get(worst));
        if (probe.outcomes().size() <= 1) return probe;
        String outcomes = probe.outcome() + " over " + obs.size() + " boots";
        if (vs.stream().allMatch(AS_EXPECTED::contains)) {
            return new JudgedCase(id, caseClass, obs, e, vs.get(worst),
                    "outcomes differ (" + outcomes + "), all allowed for " + versionText(e) + " (" + e.where() + "): " + rs.get(worst));
        }
        if (vs.contains(Verdict.INFRA) && vs.stream().filter(v -> v != Verdict.INFRA).distinct().count() <= 1) {
            return new JudgedCase(id, caseClass, obs, e, Verdict.INFRA, "outcomes differ (" + outcomes + "): " + rs.get(worst));
        }
        return new JudgedCase(id, caseClass, obs, e, Verdict.FLAKY, "outcomes differ (" + outcomes + "), expected "
                + e.allowedText() + " on " + versionText(e) + ": " + rs.get(worst));
    }

    /** The verdict of one observation; {@code reason[0]} receives its one-line reason. */
    static Verdict one(CaseResult c, ExpectationModel.Expectation e, JsonNode header, String[] reason) {
        String r = c.result();
        String on = versionText(e);
        if (r.equals("ALLOC_FAILED")) {
            String err = c.raw().path("allocError").asText("allocation failed");
            String huge = c.backing().equals("hugetlb") && header != null
                    ? "; no free huge pages (HugePages_Free " + header.path("hugePagesFree").asText("?") + " of "
                    + header.path("hugePagesTotal").asText("?") + "): reserve more with vm.nr_hugepages or give the guest more memory"
                    : "";
            reason[0] = "backing not allocated, nothing was tested: " + err + huge;
            return Verdict.INFRA;
        }
        if (r.equals("PROBE_ERROR")) {
            reason[0] = "the probe itself failed: " + c.raw().path("ringError").asText("?");
            return Verdict.INFRA;
        }
        String fallback = c.raw().path("fallbackResult").asText(null);
        if (!c.fallbackOk() && fallback != null && !e.unsupported()) {
            reason[0] = "the normal mmap'ed ring (the fallback users rely on) failed with " + fallback + " on " + on;
            return Verdict.REGRESSION;
        }
        if (r.equals(CaseResult.OK) && !c.ringWorks()) {
            reason[0] = "setup returned ok but the ring did not carry a NOP: " + c.raw().path("ringError").asText("?");
            return Verdict.REGRESSION;
        }
        if (r.equals(CaseResult.OK) && !c.guardsIntact()) {
            reason[0] = "setup returned ok but guard bytes around the caller's regions were overwritten";
            return Verdict.REGRESSION;
        }
        String group = ExpectationModel.group(c.caseClass());
        String gaps = gaps(c);
        if (c.passed()) {
            if (e.allowed().isEmpty()) {
                reason[0] = "ok; release " + c.raw().path("release").asText(on) + " has no expectation (not a kernel version)";
                return Verdict.PASS;
            }
            if (!e.allowed().contains(CaseResult.OK)) {
                reason[0] = "ok where " + e.allowedText() + " was expected on " + on + " (" + e.where()
                        + "): a backport? record it with expect: in kernels.yaml";
                return Verdict.FIXED;
            }
            if (e.needsContiguity(group) && !gaps.isEmpty()) {
                reason[0] = "ok on discontiguous pages (" + gaps + ") where " + on + " needs contiguous ones: behaves like"
                        + " the vmap fix (6.10, 6.6.84); a backport? record it with expect: in kernels.yaml";
                return Verdict.FIXED;
            }
            boolean hugeBacked = c.raw().path("sqePageKiB").asInt() >= 2048 && c.raw().path("ringPageKiB").asInt() >= 2048;
            reason[0] = !(e.needsContiguity(group) && e.allowed().size() > 1) ? "ok"
                    : hugeBacked ? "ok: each region lies inside one 2 MiB huge page, so its pages are contiguous on " + on
                    : "ok: the pages happened to be physically contiguous (luck on " + on + ")";
            return Verdict.PASS;
        }
        String what = r + (c.errno() != 0 ? " (errno " + c.errno() + ")" : "") + " on " + describe(c, gaps);
        if (e.unsupported() && r.equals("EINVAL")) {
            reason[0] = "EINVAL: " + on + " does not know IORING_SETUP_NO_MMAP (added in 6.5)";
            return Verdict.UNSUPPORTED;
        }
        if (e.allowed().isEmpty()) {
            reason[0] = what + "; no expectation for release " + c.raw().path("release").asText(on)
                    + ": add expect: with a reason to kernels.yaml";
            return Verdict.REGRESSION;
        }
        if (r.equals("ENOMEM") && e.enomemOverMemlock() && header != null && header.path("memlockSoft").asLong(-1) >= 0) {
            reason[0] = what + ": allowed on " + on + " over RLIMIT_MEMLOCK (" + header.path("memlockSoft").asLong() + " bytes) without CAP_IPC_LOCK";
            return Verdict.KNOWN_BUG;
        }
        if (e.allowed().contains(r)) {
            reason[0] = what + "; expected on " + e.where() + why(e);
            return Verdict.KNOWN_BUG;
        }
        reason[0] = what + "; expected " + e.allowedText() + " on " + on + why(e);
        return Verdict.REGRESSION;
    }

    private static String why(ExpectationModel.Expectation e) {
        if (e.override() != null) return " (kernels.yaml: " + e.override() + ")";
        return e.rows().isEmpty() ? "" : " (" + e.rows().getFirst().why() + ")";
    }

    static String versionText(ExpectationModel.Expectation e) {
        return e.version() == null ? "an unknown version" : e.version().toString();
    }

    /** "discontiguous pages: ring PFNs not contiguous at page 3", "one page", "2 contiguous pages (hugetlb)". */
    static String describe(CaseResult c, String gaps) {
        if (c.singlePage()) return "single-page regions (" + c.backing() + ")";
        if (!gaps.isEmpty()) return "discontiguous pages: " + gaps;
        return "multi-page regions (" + c.backing() + ", sqe " + c.sqePages() + " pages, rings " + c.ringPages() + " pages)";
    }

    /** Multi-page regions whose PFNs are known not to be contiguous: "sqe PFNs not contiguous at page 3". */
    static String gaps(CaseResult c) {
        List<String> out = new ArrayList<>();
        gap(c, "sqe", c.sqePages(), out);
        gap(c, "ring", c.ringPages(), out);
        return String.join(", ", out);
    }

    private static void gap(CaseResult c, String region, int pages, List<String> out) {
        if (pages <= 1) return;
        JsonNode contiguous = c.raw().path(region + "Contiguous");
        if (contiguous.isBoolean() && !contiguous.asBoolean()) {
            JsonNode at = c.raw().path(region + "FirstGap");
            out.add(region + " PFNs not contiguous" + (at.isNumber() ? " at page " + at.asInt() : ""));
        }
    }

    private static final Pattern INIT_AT = Pattern.compile("ringvm: init at ([0-9.]+)s");

    /** Seconds from kernel start to the init script (the guest's boot time), null when not in the log. */
    public static Double bootSeconds(Path console) {
        if (console == null || !Files.exists(console)) return null;
        try {
            for (String l : Files.readAllLines(console, StandardCharsets.ISO_8859_1)) {
                Matcher m = INIT_AT.matcher(l);
                if (m.find()) return Double.parseDouble(m.group(1));
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    static String consoleTail(Path console, int n) {
        if (console == null || !Files.exists(console)) return "";
        try {
            List<String> lines = Files.readAllLines(console, StandardCharsets.ISO_8859_1);
            StringBuilder b = new StringBuilder();
            for (String l : lines.subList(Math.max(0, lines.size() - n), lines.size())) b.append(ConsoleScanner.clean(l)).append('\n');
            return b.toString();
        } catch (IOException e) {
            return "";
        }
    }
}
