package dev.ringvm.verdict;

import dev.ringvm.vm.ConsoleSamples;
import dev.ringvm.vm.ConsoleScanner;
import dev.ringvm.config.Expectations;
import dev.ringvm.model.ExitCode;
import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.probe.protocol.End;
import dev.ringvm.probe.protocol.Header;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.run.Fixtures;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static dev.ringvm.run.Fixtures.NONCE;
import static dev.ringvm.run.Fixtures.kernel;
import static org.assertj.core.api.Assertions.assertThat;

class JudgeTest {
    private final ExpectationModel model = ExpectationModel.standard();

    @TempDir
    Path dir;

    /** A multi-page case (4 sqe pages) of a backing with the given result; tweak changes fields by wire name. */
    static Result one(String backing, String result, Consumer<Map<String, Object>> tweak) {
        boolean ok = result.equals("ok");
        int errno = ok ? 0 : switch (result) {
            case "EINVAL" -> 22;
            case "EFAULT" -> 14;
            case "EPERM" -> 1;
            default -> 12;
        };
        Result r = Fixtures.typedResult(0, backing, 256, 4, 1, result, errno);
        return tweak == null ? r : Fixtures.with(r, tweak);
    }

    static String rec(int i, String backing, String result, Consumer<Map<String, Object>> tweak) {
        return Fixtures.line(one(backing, result, tweak));
    }

    private static final Header UNLIMITED = Fixtures.header("test", 0L);

    private Ruling judge(String release, Result c) {
        return Judge.one(c, model.expect(release, c.caseClass(), null), UNLIMITED);
    }

    /** A header with a memlock limit, of a probe with ({@code root}) or without CAP_IPC_LOCK. */
    private static Header memlock(long soft, boolean root, long ioUringDisabled) {
        Header h = UNLIMITED;
        return new Header(h.nonce(), h.probeVersion(), h.release(), h.machine(), h.pageSize(), h.hugePageSizeKiB(),
                h.hugePagesTotal(), h.hugePagesFree(), h.thpEnabled(), soft, h.memlockHard(), root ? 0L : 1000L, root,
                ioUringDisabled, h.tainted(), h.grid(), h.cases(), h.processStartMillis(), h.uptimeMillis());
    }

    private static Header memlock(long soft) {
        return memlock(soft, false, 0);
    }

    @Test
    void passWhenOkIsExpected() {
        assertThat(judge("6.12.117+deb13-cloud-amd64", one("memalign", "ok", null))).isEqualTo(new Ruling(Verdict.PASS, "ok"));
    }

    @Test
    void unsupportedBefore65() {
        Ruling r = judge("6.4.16", one("anon", "EINVAL", null));
        assertThat(r.verdict()).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(r.reason()).contains("6.4.16 does not know IORING_SETUP_NO_MMAP");
        assertThat(judge("6.1.0-50-cloud-amd64", one("anon", "EFAULT", null)).verdict()).as("another errno is not 'unknown flag'")
                .isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void fixedWhenABefore65KernelAcceptsTheFlag() {
        assertThat(judge("6.1.0-50-cloud-amd64", one("anon", "ok", null)).verdict()).isEqualTo(Verdict.FIXED);
    }

    @Test
    void knownBugOn65MultiPage() {
        Ruling r = judge("6.5.13", one("hugetlb", "EFAULT", null));
        assertThat(r.verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(r.reason()).startsWith("EFAULT (errno 14) on multi-page regions (hugetlb").contains("expected on 6.5-rc1..6.5.*");
    }

    @Test
    void fixedWhen65MultiPageWorks() {
        Ruling r = judge("6.6.4", one("memalign", "ok", null));
        assertThat(r.verdict()).isEqualTo(Verdict.FIXED);
        assertThat(r.reason()).contains("ok where EFAULT was expected on 6.6.4").contains("expect: in kernels.yaml");
    }

    @Test
    void regressionWithTheContiguityStory() {
        Result c = one("memalign", "EINVAL", n -> { n.put("sqeContiguous", false); n.put("sqeFirstGap", 3L); });
        Ruling r = judge("6.12.117+deb13-cloud-amd64", c);
        assertThat(r.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(r.reason()).isEqualTo("EINVAL (errno 22) on discontiguous pages: sqe PFNs not contiguous at page 3; "
                + "expected ok on 6.12.117 (regions of any pages are vmapped (09fc75e0c035))");
        r = judge("6.8.0", c);
        assertThat(r.verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(r.reason()).contains("discontiguous pages: sqe PFNs not contiguous at page 3; expected on 6.6.5..6.6.83, 6.7-rc4..6.9.*");
    }

    @Test
    void luckyPassOn66To69MustBeExplainedByContiguity() {
        Ruling r = judge("6.6.5", one("anon", "ok", null));
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.reason()).contains("physically contiguous");
        Result lucky = one("anon", "ok", n -> { n.put("sqeContiguous", false); n.put("sqeFirstGap", 1L); });
        r = judge("6.6.83", lucky);
        assertThat(r.verdict()).isEqualTo(Verdict.FIXED);
        assertThat(r.reason()).contains("ok on discontiguous pages (sqe PFNs not contiguous at page 1)");
        assertThat(judge("6.6.84", lucky).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void regressionWhenTheRingGuardsOrFallbackBreak() {
        Ruling r = judge("6.12.1", one("anon", "ok", n -> { n.put("ringWorks", false); n.put("ringError", "no CQE"); }));
        assertThat(r.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(r.reason()).contains("did not carry its NOPs: no CQE");
        r = judge("6.12.1", one("anon", "ok", n -> n.put("guardsIntact", false)));
        assertThat(r.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(r.reason()).contains("guard bytes");
        r = judge("6.5.0", one("anon", "EFAULT", n -> { n.put("fallbackOk", false); n.put("fallbackResult", "EBADF"); }));
        assertThat(r.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(r.reason()).contains("fallback").contains("EBADF");
    }

    @Test
    void allocFailedAndProbeErrorAreInfraForTheCell() {
        Result c = one("hugetlb", "ALLOC_FAILED", n -> n.put("allocError", "mmap MAP_HUGETLB: ENOMEM"));
        Header noHugePages = new Header(NONCE, "0.1.0", "6.12.1", "x86_64", 4096, 2048L, 16L, 0L, null, -1L, -1L, 0L, true,
                0L, 0L, "default", 1, null, null);
        Ruling r = Judge.one(c, model.expect("6.12.1", c.caseClass(), null), noHugePages);
        assertThat(r.verdict()).isEqualTo(Verdict.INFRA);
        assertThat(r.reason()).contains("no free huge pages (HugePages_Free 0 of 16)");
        assertThat(judge("6.12.1", one("anon", "PROBE_ERROR", n -> n.put("ringError", "boom"))).verdict()).isEqualTo(Verdict.INFRA);
    }

    @Test
    void enomemOverMemlockIsAllowedFrom614Only() {
        Result c = one("anon", "ENOMEM", n -> n.put("sqePages", 32L)); // 33 pages: over 64 KiB
        Ruling r = Judge.one(c, model.expect("6.14.2", c.caseClass(), null), memlock(65536));
        assertThat(r.verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(r.reason()).contains("RLIMIT_MEMLOCK");
        Result within = one("anon", "ENOMEM", null); // 5 pages: within 64 KiB
        assertThat(Judge.one(within, model.expect("6.14.2", within.caseClass(), null), memlock(65536)).verdict())
                .as("ENOMEM where the memory fits the limit").isEqualTo(Verdict.REGRESSION);
        assertThat(Judge.one(c, model.expect("6.13.2", c.caseClass(), null), memlock(65536)).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(judge("6.14.2", c).verdict()).as("guest runs unlimited").isEqualTo(Verdict.REGRESSION);
        assertThat(Judge.one(c, model.expect("6.14.2", c.caseClass(), null), memlock(65536, true, 0)).verdict())
                .as("root holds CAP_IPC_LOCK: its ring memory is not charged, so ENOMEM is no excuse")
                .isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void ioUringDisabledIsTheEnvironmentNotTheKernel() {
        Result c = one("anon", "EPERM", n -> { n.put("fallbackOk", false); n.put("fallbackResult", "EPERM"); });
        Ruling r = Judge.one(c, model.expect("6.12.1", c.caseClass(), null), memlock(-1, true, 2));
        assertThat(r.verdict()).isEqualTo(Verdict.INFRA);
        assertThat(r.reason()).contains("kernel.io_uring_disabled=2");
        assertThat(Judge.one(c, model.expect("6.12.1", c.caseClass(), null), memlock(-1, true, 0)).verdict())
                .as("EPERM with io_uring enabled is the kernel's").isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void aFallbackRingWithoutMemoryIsNotARegression() {
        Result c = one("anon", "ok", n -> { n.put("fallbackOk", false); n.put("fallbackResult", "ENOMEM"); });
        Ruling r = Judge.one(c, model.expect("6.12.1", c.caseClass(), null), memlock(65536));
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.reason()).contains("the normal mmap'ed ring failed with ENOMEM too").contains("65536 bytes");
        Result other = one("anon", "ok", n -> { n.put("fallbackOk", false); n.put("fallbackResult", "EINVAL"); });
        assertThat(Judge.one(other, model.expect("6.12.1", other.caseClass(), null), memlock(65536)).verdict())
                .isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void overrideTurnsABackportIntoPass() {
        var e = model.expect("6.8.0", CaseClass.MULTI_ANON, new Expectations("Debian backports the vmap fix", null, Map.of("multi-4k", Set.of("ok"))));
        assertThat(Judge.one(one("anon", "ok", n -> n.put("sqeContiguous", false)), e, null).verdict()).isEqualTo(Verdict.PASS);
        Ruling r = Judge.one(one("anon", "EINVAL", null), e, null);
        assertThat(r.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(r.reason()).contains("kernels.yaml: Debian backports the vmap fix");
    }

    @Test
    void noSqArrayBefore66IsUnsupportedNotARegression() {
        Result c = one("anon", "EINVAL", n -> { n.put("options", "nosqarray"); n.put("id", "anon/sq256+nosqarray"); });
        Ruling r = judge("6.5.13", c);
        assertThat(r.verdict()).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(r.reason()).contains("does not know IORING_SETUP_NO_SQARRAY (added in 6.6)");
        assertThat(judge("6.1.0-50-cloud-amd64", c).reason()).as("before 6.5 the row's rule speaks")
                .contains("does not know IORING_SETUP_NO_MMAP");
        assertThat(judge("6.12.1", c).verdict()).as("6.6+ knows it").isEqualTo(Verdict.REGRESSION);
        Result plain = one("anon", "EINVAL", null);
        assertThat(judge("6.5.13", plain).verdict()).as("without the flag EINVAL is no excuse").isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void aCorruptRingNamesItsSlot() {
        Result c = one("anon", "ok", n -> { n.put("ringWorks", false); n.put("badSlot", 252L);
            n.put("ringError", "CQ slot 252 (completion 252): expected user_data 0x1 res 0 flags 0, saw user_data 0x0 res 0 flags 0"); });
        assertThat(c.outcome()).isEqualTo("ring-corrupt");
        Ruling r = judge("6.12.1", c);
        assertThat(r.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(r.reason()).contains("the kernel's view of the caller's ring memory differs from the caller's")
                .contains("CQ slot 252 (completion 252)");
    }

    @Test
    void memoryTheSetupMustRefuseIsPassWhenRefusedAndRegressionWhenAccepted() {
        java.util.function.Function<String, Result> edge = result -> one("anon", result, n -> {
            n.put("edge", "read-only");
            n.put("id", "edge/read-only/anon/sq256");
        });
        assertThat(edge.apply("EFAULT").caseClass()).isEqualTo(CaseClass.EDGE);
        assertThat(judge("6.12.1", edge.apply("EFAULT"))).isEqualTo(new Ruling(Verdict.PASS,
                "EFAULT: read-only rings memory refused, as it must be"));
        Ruling accepted = judge("7.3.4", edge.apply("ok"));
        assertThat(accepted.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(accepted.reason()).isEqualTo("the kernel accepted read-only rings memory, which it must refuse with EFAULT");
        assertThat(judge("6.12.1", edge.apply("EINVAL")).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(judge("6.1.0-50-cloud-amd64", edge.apply("EINVAL")).verdict()).isEqualTo(Verdict.UNSUPPORTED);
    }

    @Test
    void unknownReleaseFailureAsksForAnExpectation() {
        Ruling r = judge("custom-kernel", one("anon", "EINVAL", null));
        assertThat(r.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(r.reason()).contains("add expect:");
    }

    // --- repeats ---

    private JudgedCase repeated(String release, String... results) {
        List<Result> obs = new ArrayList<>();
        for (String r : results) obs.add(one("anon", r, r.equals("EINVAL") ? n -> n.put("sqeContiguous", false) : null));
        return Judge.aggregate("anon/sq256", CaseClass.MULTI_ANON, obs, model.expect(release, CaseClass.MULTI_ANON, null), null);
    }

    @Test
    void repeatsThatAgreeKeepTheirVerdict() {
        assertThat(repeated("6.12.1", "ok", "ok", "ok").verdict()).isEqualTo(Verdict.PASS);
        assertThat(repeated("6.5.0", "EFAULT", "EFAULT").verdict()).isEqualTo(Verdict.KNOWN_BUG);
    }

    @Test
    void repeatsThatDisagreeAreFlakyUnlessBothAreAllowed() {
        JudgedCase flaky = repeated("6.12.1", "ok", "EINVAL", "ok");
        assertThat(flaky.verdict()).isEqualTo(Verdict.FLAKY);
        assertThat(flaky.reason()).startsWith("outcomes differ (ok×2 EINVAL×1 over 3 boots), expected ok on 6.12.1");
        assertThat(flaky.outcome()).isEqualTo("ok×2 EINVAL×1");
        JudgedCase luck = repeated("6.8.3", "ok", "EINVAL");
        assertThat(luck.verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(luck.reason()).contains("all allowed for 6.8.3");
        assertThat(repeated("6.5.0", "EFAULT", "EINVAL").verdict()).isEqualTo(Verdict.FLAKY);
    }

    // --- VM level ---

    private VmResult boot(String release, List<String> lines, VmResult.Status status, String consoleText, int repeat) throws Exception {
        Path console = dir.resolve("console-" + repeat + "-" + status + ".log");
        Files.writeString(console, consoleText);
        return new VmResult(new VmJob(kernel("k", release), 512, repeat, null), status, status == VmResult.Status.COMPLETE ? "" : "killed after the 300 s timeout during case anon/sq256",
                GuestRun.parse(lines, NONCE), Duration.ofSeconds(5), "tcg", console, dir.resolve("results.log"),
                ConsoleScanner.facts(console));
    }

    private static String header(long tainted) {
        return Fixtures.line(Fixtures.header("6.12.1", tainted));
    }

    private static String end(int count, long tainted) {
        return Fixtures.line(new End(NONCE, count, tainted, 5000, null));
    }

    private Judgement judgeRun(VmResult... vms) {
        return new Judge(model).judge(new RunSummary(NONCE, Instant.EPOCH, Instant.EPOCH, dir, "tcg", "test", vms.length,
                List.of(vms), List.of()));
    }

    @Test
    void aTimeoutIsInfraNamingTheCaseAndKeepingEarlierResults() throws Exception {
        List<String> lines = List.of(header(0), rec(0, "anon", "ok", null),
                Fixtures.begin(1, "anon/sq512"));
        Judgement j = judgeRun(boot("6.12.1", lines, VmResult.Status.TIMEOUT, ConsoleSamples.SOFT_LOCKUP, 0));
        JudgedVm row = j.vms().getFirst();
        assertThat(row.verdict()).isEqualTo(Verdict.INFRA);
        assertThat(row.cases()).hasSize(1).allMatch(c -> c.verdict() == Verdict.PASS);
        JudgedVm.Issue issue = row.issues().getFirst();
        assertThat(issue.reason()).contains("TIMEOUT", "during case anon/sq256", "soft lockup at console.log:", "1 results before it are kept");
        assertThat(issue.excerpt()).contains("watchdog: BUG: soft lockup");
        assertThat(j.exitCode()).isEqualTo(ExitCode.INFRA);
    }

    @Test
    void aWarningInACompleteRunIsReportedOnThatVm() throws Exception {
        List<String> lines = List.of(header(0), rec(0, "anon", "ok", null), end(1, 512));
        Judgement j = judgeRun(boot("6.12.1", lines, VmResult.Status.COMPLETE, ConsoleSamples.WARNING, 0));
        JudgedVm row = j.vms().getFirst();
        assertThat(row.cases()).allMatch(c -> c.verdict() == Verdict.PASS);
        assertThat(row.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(row.issues()).extracting(JudgedVm.Issue::reason)
                .anySatisfy(r -> assertThat(r).contains("WARNING with call trace", "io_uring/memmap.c"))
                .anySatisfy(r -> assertThat(r).contains("tainted during the grid: none -> W (0 -> 512)"));
        assertThat(j.exitCode()).isEqualTo(ExitCode.UNEXPECTED);
    }

    @Test
    void cleanRunsExitZeroAndRepeatsAggregateIntoOneRow() throws Exception {
        List<String> lines = List.of(header(0), rec(0, "anon", "ok", null), end(1, 0));
        Judgement j = judgeRun(boot("6.12.1", lines, VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT, 0),
                boot("6.12.1", lines, VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT, 1));
        assertThat(j.vms()).hasSize(1);
        assertThat(j.vms().getFirst().boots()).hasSize(2);
        assertThat(j.vms().getFirst().cases().getFirst().observations()).hasSize(2);
        assertThat(j.exitCode()).isEqualTo(ExitCode.OK);
    }
}
