package dev.ringvm.verdict;

import dev.ringvm.config.Expectations;
import dev.ringvm.model.Finding;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmResult;
import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.probe.protocol.Edge;
import dev.ringvm.probe.protocol.End;
import dev.ringvm.probe.protocol.Family;
import dev.ringvm.probe.protocol.Header;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.probe.protocol.ResultCode;
import dev.ringvm.probe.protocol.SetupOption;
import dev.ringvm.vm.ConsoleScanner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verdict rules (docs/verdicts.md). Pure over its inputs: the console facts were read when each VM ended and
 * travel on its result. Every rule returns a {@link Ruling}: the verdict and a one-line reason a person can act on.
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
            findings.put(b.job().name(), b.console().findings());
            issues.addAll(bootIssues(b));
        }
        // cases in grid order over all boots
        Map<Integer, List<Result>> byIndex = new TreeMap<>();
        for (VmResult b : boots) for (Result c : b.guest().cases()) byIndex.computeIfAbsent(c.spec().index(), k -> new ArrayList<>()).add(c);
        List<JudgedCase> cases = new ArrayList<>();
        Header header = first.guest().header();
        for (List<Result> obs : byIndex.values()) {
            Result c0 = obs.getFirst();
            ExpectationModel.Expectation e = model.expect(release, c0.caseClass(), override);
            cases.add(aggregate(c0.spec().id(), c0.caseClass(), obs, e, header));
        }
        return new JudgedVm(cell, first.job().kernel().id(), release, first.job().memoryMiB(), List.copyOf(boots),
                List.copyOf(issues), List.copyOf(cases), findings);
    }

    /** Problems of one boot that are not about a single case: incomplete record set, console findings, taint. */
    static List<JudgedVm.Issue> bootIssues(VmResult b) {
        List<Finding> findings = b.console().findings();
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
                    firstFinding != null ? firstFinding.excerpt() : b.console().tail()));
            return out;
        }
        if (firstFinding != null) {
            String more = findings.size() > 1 ? " (+" + (findings.size() - 1) + " more)" : "";
            out.add(new JudgedVm.Issue(name, Verdict.REGRESSION,
                    "kernel " + firstFinding.summary() + more + " although the grid completed", firstFinding.excerpt()));
        }
        Header h = b.guest().header();
        End e = b.guest().end();
        if (h != null && e != null && h.tainted() != null && e.tainted() != null) {
            long before = h.tainted();
            long after = e.tainted();
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
    static JudgedCase aggregate(String id, CaseClass caseClass, List<Result> obs, ExpectationModel.Expectation e,
                                Header header) {
        List<Verdict> vs = new ArrayList<>();
        List<String> rs = new ArrayList<>();
        for (Result c : obs) {
            Ruling r = one(c, e, header);
            vs.add(r.verdict());
            rs.add(r.reason());
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

    /** The verdict of one observation, with its reason. */
    static Ruling one(Result c, ExpectationModel.Expectation e, Header header) {
        Ruling r = judgeOne(c, e, header);
        // the normal ring failing for want of memory says something about the guest, not the kernel (liburing#1088)
        if ("ENOMEM".equals(c.fallbackResult()) && r.verdict() != Verdict.INFRA) {
            return new Ruling(r.verdict(), r.reason() + "; the normal mmap'ed ring failed with ENOMEM too: memory or "
                    + "RLIMIT_MEMLOCK (" + memlockText(header) + ") of this guest, not counted against the kernel");
        }
        return r;
    }

    private static String memlockText(Header h) {
        if (h == null || h.memlockSoft() == null) return "unknown";
        return h.memlockSoft() < 0 ? "unlimited" : h.memlockSoft() + " bytes";
    }

    private static Ruling judgeOne(Result c, ExpectationModel.Expectation e, Header header) {
        String on = versionText(e);
        switch (c.code()) {
            case ALLOC_FAILED -> {
                String err = c.allocError() != null ? c.allocError() : "allocation failed";
                String huge = c.spec().backing() == dev.ringvm.probe.protocol.Backing.HUGETLB && header != null
                        ? "; no free huge pages (HugePages_Free " + orUnknown(header.hugePagesFree()) + " of "
                        + orUnknown(header.hugePagesTotal()) + "): reserve more with vm.nr_hugepages or give the guest more memory"
                        : "";
                return new Ruling(Verdict.INFRA, "backing not allocated, nothing was tested: " + err + huge);
            }
            case PROBE_ERROR -> {
                return new Ruling(Verdict.INFRA, "the probe itself failed: " + orUnknown(c.ringError()));
            }
            case OK, SETUP_FAILED -> { }
        }
        String r = c.result();
        if (c.spec().edge() != null && c.spec().edge().refused()) return edge(c, e);
        Ruling unknownFlag = unknownFlag(c, e);
        if (unknownFlag != null) return unknownFlag;
        if ((r.equals("EPERM") || "EPERM".equals(c.fallbackResult())) && header != null
                && header.ioUringDisabled() != null && header.ioUringDisabled() > 0) {
            return new Ruling(Verdict.INFRA, "EPERM: io_uring is disabled in this guest (kernel.io_uring_disabled="
                    + header.ioUringDisabled() + "), nothing was tested: an environment setting, not a kernel result");
        }
        String fallback = c.fallbackResult();
        if (!c.fallbackWorked() && fallback != null && !e.unsupported() && !fallback.equals("ENOMEM")) {
            return new Ruling(Verdict.REGRESSION,
                    "the normal mmap'ed ring (the fallback users rely on) failed with " + fallback + " on " + on);
        }
        Ruling memlock = memlock(c, e, header);
        if (memlock != null) return memlock;
        String named = c.code() == ResultCode.OK ? c.outcome() : null;
        if (named != null && Expectations.NAMED_OUTCOMES.contains(named) && e.allowed().contains(named)) {
            return new Ruling(Verdict.KNOWN_BUG, named + " on " + describe(c, gaps(c)) + ": " + orUnknown(c.ringError())
                    + "; expected on " + e.where() + why(e));
        }
        if (c.code() == ResultCode.OK && c.badSlot() != null) {
            return new Ruling(Verdict.REGRESSION, "setup returned ok but the kernel's view of the caller's ring memory"
                    + " differs from the caller's (" + describe(c, gaps(c)) + "): " + orUnknown(c.ringError())
                    + (c.completions() != null ? "; " + c.completions() + " completions were right before it" : ""));
        }
        if (c.code() == ResultCode.OK && !c.ringWorks()) {
            return new Ruling(Verdict.REGRESSION,
                    "setup returned ok but the ring did not carry its NOPs: " + orUnknown(c.ringError()));
        }
        if (c.code() == ResultCode.OK && !c.guardsOk()) {
            return new Ruling(Verdict.REGRESSION,
                    "setup returned ok but guard bytes around the caller's regions were overwritten");
        }
        CaseClass.Group group = c.caseClass().group();
        String gaps = gaps(c);
        String release = header != null && header.release() != null ? header.release() : on;
        if (c.passed()) {
            if (e.allowed().isEmpty()) {
                return new Ruling(Verdict.PASS, "ok; release " + release + " has no expectation (not a kernel version)");
            }
            if (!e.allowed().contains("ok")) {
                return new Ruling(Verdict.FIXED, "ok where " + e.allowedText() + " was expected on " + on + " ("
                        + e.where() + "): a backport? record it with expect: in kernels.yaml");
            }
            if (e.needsContiguity(group) && !gaps.isEmpty()) {
                return new Ruling(Verdict.FIXED, "ok on discontiguous pages (" + gaps + ") where " + on
                        + " needs contiguous ones: behaves like the vmap fix (6.10, 6.6.84); a backport? record it with"
                        + " expect: in kernels.yaml");
            }
            boolean hugeBacked = c.spec().layout() != dev.ringvm.probe.protocol.Layout.SPAN
                    && c.sqePageKiB() != null && c.sqePageKiB() >= 2048
                    && c.ringPageKiB() != null && c.ringPageKiB() >= 2048;
            String why = !(e.needsContiguity(group) && e.allowed().size() > 1) ? "ok"
                    : hugeBacked ? "ok: each region lies inside one 2 MiB huge page, so its pages are contiguous on " + on
                    : "ok: the pages happened to be physically contiguous (luck on " + on + ")";
            return new Ruling(Verdict.PASS, why);
        }
        String what = r + (c.errno() != 0 ? " (errno " + c.errno() + ")" : "") + " on " + describe(c, gaps);
        if (e.unsupported() && r.equals("EINVAL")) {
            return new Ruling(Verdict.UNSUPPORTED, "EINVAL: " + on + " does not know IORING_SETUP_NO_MMAP (added in 6.5)");
        }
        if (e.allowed().isEmpty()) {
            return new Ruling(Verdict.REGRESSION, what + "; no expectation for release " + release
                    + ": add expect: with a reason to kernels.yaml");
        }
        if (e.allowed().contains(r) && e.refusal(group)) {
            return new Ruling(Verdict.PASS, what + ": refused, as it must be on " + e.where() + why(e));
        }
        if (e.allowed().contains(r)) {
            return new Ruling(Verdict.KNOWN_BUG, what + "; expected on " + e.where() + why(e));
        }
        return new Ruling(Verdict.REGRESSION, what + "; expected " + e.allowedText() + " on " + on + why(e));
    }

    /**
     * EINVAL (from the NO_MMAP setup or the fallback ring) for a setup flag the judged version does not know yet:
     * UNSUPPORTED, never a regression. NO_SQARRAY came in 6.6 (2af89abda7d9); REGISTERED_FD_ONLY came with NO_MMAP in
     * 6.5, so the "before NO_MMAP" row covers it.
     */
    static Ruling unknownFlag(Result c, ExpectationModel.Expectation e) {
        boolean einval = c.result().equals("EINVAL") || "EINVAL".equals(c.fallbackResult());
        // before 6.5 NO_MMAP itself is unknown: the rule for the whole row says so
        if (!einval || e.version() == null || e.override() != null || e.unsupported()) return null;
        if (c.spec().has(SetupOption.NO_SQARRAY) && e.version().compareTo(KernelVersion.bound("6.6-rc1")) < 0) {
            return new Ruling(Verdict.UNSUPPORTED, "EINVAL: " + versionText(e)
                    + " does not know IORING_SETUP_NO_SQARRAY (added in 6.6); liburing retries without it");
        }
        String since613 = since613(c.spec().family());
        if (since613 != null && e.version().compareTo(KernelVersion.bound("6.13-rc1")) < 0) {
            return new Ruling(Verdict.UNSUPPORTED, "EINVAL: " + versionText(e) + " does not know " + since613
                    + " (added in 6.13)");
        }
        return null;
    }

    /**
     * Bytes of caller memory a case has the kernel pin and charge to RLIMIT_MEMLOCK where {@code e}'s rows charge it:
     * the SQE and rings regions page-rounded (liburing's one buffer is the same sum); for the other families also the
     * single-page carrier ring's two pages, where rings are charged too. Pages of the guest's size ({@code pageSize},
     * the probe header's AT_PAGESZ: the kernel charges whole pages, 16 KiB each on an arm64 16K kernel).
     */
    static long chargedBytes(Result c, ExpectationModel.Expectation e, int pageSize) {
        boolean carrier = c.spec().family() != Family.RINGS && e.memlockCharged(CaseClass.Group.SINGLE_PAGE);
        long pages = (long) c.sqePageCount() + c.ringPageCount() + (carrier ? 2 : 0);
        return pages * pageSize;
    }

    /**
     * From 6.14 ring memory is charged to RLIMIT_MEMLOCK unless the caller holds CAP_IPC_LOCK (root does). For a probe
     * that does not (kernels.yaml {@code unprivileged:}), ENOMEM is the answer exactly where the case's memory exceeds
     * the limit: ENOMEM there is KNOWN_BUG (the documented limit), ENOMEM within it or ok over it REGRESSION. Null when
     * the rule does not apply (root, unlimited, before 6.14, or an unknown CAP_IPC_LOCK).
     */
    static Ruling memlock(Result c, ExpectationModel.Expectation e, Header header) {
        if (!e.memlockCharged(c.caseClass().group()) || header == null || header.memlockSoft() == null || header.memlockSoft() < 0
                || !Boolean.FALSE.equals(header.capIpcLock()) || c.spec().edge() != null && c.spec().edge().refused()) {
            return null;
        }
        long limit = header.memlockSoft();
        long need = chargedBytes(c, e, header.pageSize());
        String on = versionText(e);
        String uid = header.uid() == null ? "" : "uid " + header.uid() + ", ";
        if (c.result().equals("ENOMEM")) {
            if (need > limit) {
                return new Ruling(Verdict.KNOWN_BUG, "ENOMEM: the case pins " + need + " bytes, over RLIMIT_MEMLOCK "
                        + limit + " (" + uid + "no CAP_IPC_LOCK): " + on + " charges this memory to it (" + e.where() + ")");
            }
            return new Ruling(Verdict.REGRESSION, "ENOMEM although the case pins only " + need + " bytes, within "
                    + "RLIMIT_MEMLOCK " + limit + " (" + uid + "no CAP_IPC_LOCK; retried for "
                    + "1 s in the guest, so a closing ring's charge does not explain it)");
        }
        if (c.code() == ResultCode.OK && need > limit) {
            return new Ruling(Verdict.REGRESSION, "ok although the case pins " + need + " bytes, over RLIMIT_MEMLOCK "
                    + limit + " (" + uid + "no CAP_IPC_LOCK): " + on + " must charge this memory to it (" + e.where() + ")");
        }
        return null;
    }

    /** The registration a family needs that came in 6.13, null for the others. */
    private static String since613(Family f) {
        return switch (f) {
            case MEM_REGION -> "IORING_REGISTER_MEM_REGION";
            case RESIZE_RINGS -> "IORING_REGISTER_RESIZE_RINGS";
            case RINGS, PBUF_RING -> null;
        };
    }

    /**
     * Memory every NO_MMAP kernel must refuse: an unaligned address is EINVAL (the page-offset check before any
     * pinning); address 0, unmapped, half-unmapped and read-only memory are EFAULT (pin_user_pages with FOLL_WRITE
     * fails). Before 6.5 the flag itself is unknown (EINVAL, UNSUPPORTED). Accepting it is a regression.
     */
    static Ruling edge(Result c, ExpectationModel.Expectation e) {
        Edge edge = c.spec().edge();
        String want = switch (edge) {
            case UNALIGNED, ENABLED_RING -> "EINVAL";
            case NULL_ADDRESS, UNMAPPED, HALF_UNMAPPED, READ_ONLY -> "EFAULT";
            case ALIASED -> throw new IllegalArgumentException("the aliased region is judged by its timeline");
        };
        String r = c.result();
        if (e.unsupported() && r.equals("EINVAL")) {
            return new Ruling(Verdict.UNSUPPORTED, "EINVAL: " + versionText(e) + " does not know IORING_SETUP_NO_MMAP (added in 6.5)");
        }
        String since613 = since613(c.spec().family());
        if (since613 != null && r.equals("EINVAL") && e.version() != null && e.override() == null
                && e.version().compareTo(KernelVersion.bound("6.13-rc1")) < 0) {
            return new Ruling(Verdict.UNSUPPORTED, "EINVAL: " + versionText(e) + " does not know " + since613 + " (added in 6.13)");
        }
        String what = c.spec().family() == Family.MEM_REGION ? " wait region" : " rings memory";
        if (r.equals(want)) return new Ruling(Verdict.PASS, want + ": " + edge.id() + what + " refused, as it must be");
        if (c.code() == ResultCode.OK) {
            return new Ruling(Verdict.REGRESSION, "the kernel accepted " + edge.id() + what + ", which it must refuse"
                    + " with " + want);
        }
        return new Ruling(Verdict.REGRESSION, r + " for " + edge.id() + what + ", where " + want + " is the answer");
    }

    private static String orUnknown(Object o) {
        return o == null ? "?" : o.toString();
    }

    private static String why(ExpectationModel.Expectation e) {
        if (e.override() != null) return " (kernels.yaml: " + e.override() + ")";
        return e.rows().isEmpty() ? "" : " (" + e.rows().getFirst().why() + ")";
    }

    static String versionText(ExpectationModel.Expectation e) {
        return e.version() == null ? "an unknown version" : e.version().toString();
    }

    /** "discontiguous pages: ring PFNs not contiguous at page 3", "one page", "2 contiguous pages (hugetlb)". */
    static String describe(Result c, String gaps) {
        String backing = c.spec().backing().id();
        if (c.thpNotGranted()) backing = "thp without huge pages: 4 KiB pages, judged as anon";
        if (c.singlePage()) return "single-page regions (" + backing + ")";
        if (!gaps.isEmpty()) return "discontiguous pages: " + gaps;
        return "multi-page regions (" + backing + ", sqe " + c.sqePageCount() + " pages, rings " + c.ringPageCount() + " pages)";
    }

    /** Multi-page regions whose PFNs are known not to be contiguous: "sqe PFNs not contiguous at page 3". */
    static String gaps(Result c) {
        List<String> out = new ArrayList<>();
        gap("sqe", c.sqePageCount(), c.sqeContiguous(), c.sqeFirstGap(), out);
        gap("ring", c.ringPageCount(), c.ringContiguous(), c.ringFirstGap(), out);
        return String.join(", ", out);
    }

    private static void gap(String region, int pages, Boolean contiguous, Integer firstGap, List<String> out) {
        if (pages <= 1) return;
        if (contiguous != null && !contiguous) {
            out.add(region + " PFNs not contiguous" + (firstGap != null ? " at page " + firstGap : ""));
        }
    }
}
