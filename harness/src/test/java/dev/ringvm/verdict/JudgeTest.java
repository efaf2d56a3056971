package dev.ringvm.verdict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringvm.config.Expectations;
import dev.ringvm.model.CaseResult;
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
    private static final ObjectMapper M = new ObjectMapper();
    private final ExpectationModel model = ExpectationModel.standard();

    @TempDir
    Path dir;

    /** A multi-page case (4 sqe pages) of a backing with the given result; tweak adds/changes fields. */
    static String rec(int i, String backing, String result, Consumer<ObjectNode> tweak) {
        ObjectNode n = M.createObjectNode();
        boolean ok = result.equals("ok");
        n.put("type", "result").put("nonce", NONCE).put("case", i).put("id", backing + "/sq256").put("backing", backing)
                .put("sqEntries", 256).putNull("cqEntries");
        n.put("cqsize", false).put("sqeBytes", 16384).put("sqePages", 4).put("ringBytes", 4096).put("ringPages", 1)
                .put("result", result).put("errno", ok ? 0 : result.equals("EINVAL") ? 22 : result.equals("EFAULT") ? 14 : 12)
                .put("ringWorks", ok).put("guardsIntact", true).put("sqeContiguous", true).put("ringContiguous", true)
                .put("fallbackOk", true).put("fallbackResult", "ok").put("micros", 100);
        if (tweak != null) tweak.accept(n);
        return n.toString();
    }

    static CaseResult one(String backing, String result, Consumer<ObjectNode> tweak) {
        return GuestRun.parse(List.of(rec(0, backing, result, tweak)), NONCE).cases().getFirst();
    }

    private Verdict judge(String release, CaseResult c, String[] reason) {
        return Judge.one(c, model.expect(release, c.caseClass(), null), M.createObjectNode().put("memlockSoft", -1), reason);
    }

    private Verdict judge(String release, CaseResult c) {
        return judge(release, c, new String[1]);
    }

    @Test
    void passWhenOkIsExpected() {
        String[] why = new String[1];
        assertThat(judge("6.12.117+deb13-cloud-amd64", one("memalign", "ok", null), why)).isEqualTo(Verdict.PASS);
        assertThat(why[0]).isEqualTo("ok");
    }

    @Test
    void unsupportedBefore65() {
        String[] why = new String[1];
        assertThat(judge("6.4.16", one("anon", "EINVAL", null), why)).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(why[0]).contains("6.4.16 does not know IORING_SETUP_NO_MMAP");
        assertThat(judge("6.1.0-50-cloud-amd64", one("anon", "EFAULT", null))).as("another errno is not 'unknown flag'")
                .isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void fixedWhenABefore65KernelAcceptsTheFlag() {
        assertThat(judge("6.1.0-50-cloud-amd64", one("anon", "ok", null))).isEqualTo(Verdict.FIXED);
    }

    @Test
    void knownBugOn65MultiPage() {
        String[] why = new String[1];
        assertThat(judge("6.5.13", one("hugetlb", "EFAULT", null), why)).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(why[0]).startsWith("EFAULT (errno 14) on multi-page regions (hugetlb").contains("expected on 6.5-rc1..6.5.*");
    }

    @Test
    void fixedWhen65MultiPageWorks() {
        String[] why = new String[1];
        assertThat(judge("6.6.4", one("memalign", "ok", null), why)).isEqualTo(Verdict.FIXED);
        assertThat(why[0]).contains("ok where EFAULT was expected on 6.6.4").contains("expect: in kernels.yaml");
    }

    @Test
    void regressionWithTheContiguityStory() {
        String[] why = new String[1];
        CaseResult c = one("memalign", "EINVAL", n -> n.put("sqeContiguous", false).put("sqeFirstGap", 3));
        assertThat(judge("6.12.117+deb13-cloud-amd64", c, why)).isEqualTo(Verdict.REGRESSION);
        assertThat(why[0]).isEqualTo("EINVAL (errno 22) on discontiguous pages: sqe PFNs not contiguous at page 3; "
                + "expected ok on 6.12.117 (regions of any pages are vmapped (09fc75e0c035))");
        assertThat(judge("6.8.0", c, why)).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(why[0]).contains("discontiguous pages: sqe PFNs not contiguous at page 3; expected on 6.6.5..6.6.83, 6.7-rc4..6.9.*");
    }

    @Test
    void luckyPassOn66To69MustBeExplainedByContiguity() {
        String[] why = new String[1];
        assertThat(judge("6.6.5", one("anon", "ok", null), why)).isEqualTo(Verdict.PASS);
        assertThat(why[0]).contains("physically contiguous");
        CaseResult lucky = one("anon", "ok", n -> n.put("sqeContiguous", false).put("sqeFirstGap", 1));
        assertThat(judge("6.6.83", lucky, why)).isEqualTo(Verdict.FIXED);
        assertThat(why[0]).contains("ok on discontiguous pages (sqe PFNs not contiguous at page 1)");
        assertThat(judge("6.6.84", lucky)).isEqualTo(Verdict.PASS);
    }

    @Test
    void regressionWhenTheRingGuardsOrFallbackBreak() {
        String[] why = new String[1];
        assertThat(judge("6.12.1", one("anon", "ok", n -> n.put("ringWorks", false).put("ringError", "no CQE")), why))
                .isEqualTo(Verdict.REGRESSION);
        assertThat(why[0]).contains("did not carry a NOP: no CQE");
        assertThat(judge("6.12.1", one("anon", "ok", n -> n.put("guardsIntact", false)), why)).isEqualTo(Verdict.REGRESSION);
        assertThat(why[0]).contains("guard bytes");
        assertThat(judge("6.5.0", one("anon", "EFAULT", n -> n.put("fallbackOk", false).put("fallbackResult", "ENOMEM")), why))
                .isEqualTo(Verdict.REGRESSION);
        assertThat(why[0]).contains("fallback").contains("ENOMEM");
    }

    @Test
    void allocFailedAndProbeErrorAreInfraForTheCell() {
        String[] why = new String[1];
        CaseResult c = one("hugetlb", "ALLOC_FAILED", n -> n.put("allocError", "mmap MAP_HUGETLB: ENOMEM"));
        Verdict v = Judge.one(c, model.expect("6.12.1", "hugetlb", null),
                M.createObjectNode().put("hugePagesFree", 0).put("hugePagesTotal", 16), why);
        assertThat(v).isEqualTo(Verdict.INFRA);
        assertThat(why[0]).contains("no free huge pages (HugePages_Free 0 of 16)");
        assertThat(judge("6.12.1", one("anon", "PROBE_ERROR", n -> n.put("ringError", "boom")))).isEqualTo(Verdict.INFRA);
    }

    @Test
    void enomemOverMemlockIsAllowedFrom614Only() {
        String[] why = new String[1];
        CaseResult c = one("anon", "ENOMEM", null);
        var limited = M.createObjectNode().put("memlockSoft", 65536);
        assertThat(Judge.one(c, model.expect("6.14.2", "anon", null), limited, why)).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(why[0]).contains("RLIMIT_MEMLOCK");
        assertThat(Judge.one(c, model.expect("6.13.2", "anon", null), limited, why)).isEqualTo(Verdict.REGRESSION);
        assertThat(judge("6.14.2", c)).as("guest runs unlimited").isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void overrideTurnsABackportIntoPass() {
        var e = model.expect("6.8.0", "anon", new Expectations("Debian backports the vmap fix", null, Map.of("multi-4k", Set.of("ok"))));
        String[] why = new String[1];
        assertThat(Judge.one(one("anon", "ok", n -> n.put("sqeContiguous", false)), e, null, why)).isEqualTo(Verdict.PASS);
        assertThat(Judge.one(one("anon", "EINVAL", null), e, null, why)).isEqualTo(Verdict.REGRESSION);
        assertThat(why[0]).contains("kernels.yaml: Debian backports the vmap fix");
    }

    @Test
    void unknownReleaseFailureAsksForAnExpectation() {
        String[] why = new String[1];
        assertThat(judge("custom-kernel", one("anon", "EINVAL", null), why)).isEqualTo(Verdict.REGRESSION);
        assertThat(why[0]).contains("add expect:");
    }

    // --- repeats ---

    private JudgedCase repeated(String release, String... results) {
        List<CaseResult> obs = new ArrayList<>();
        for (String r : results) obs.add(one("anon", r, r.equals("EINVAL") ? n -> n.put("sqeContiguous", false) : null));
        return Judge.aggregate("anon/sq256", "anon", obs, model.expect(release, "anon", null), null);
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
                GuestRun.parse(lines, NONCE), Duration.ofSeconds(5), "tcg", console, dir.resolve("results.log"));
    }

    private static String header(long tainted) {
        return "{\"type\":\"header\",\"nonce\":\"" + NONCE + "\",\"release\":\"6.12.1\",\"tainted\":" + tainted + "}";
    }

    private static String end(int count, long tainted) {
        return "{\"type\":\"end\",\"nonce\":\"" + NONCE + "\",\"count\":" + count + ",\"tainted\":" + tainted + ",\"micros\":5000}";
    }

    private Judgement judgeRun(VmResult... vms) {
        return new Judge(model).judge(new RunSummary(NONCE, Instant.EPOCH, Instant.EPOCH, dir, "tcg", "test", vms.length,
                List.of(vms), List.of()));
    }

    @Test
    void aTimeoutIsInfraNamingTheCaseAndKeepingEarlierResults() throws Exception {
        List<String> lines = List.of(header(0), rec(0, "anon", "ok", null),
                "{\"type\":\"begin\",\"nonce\":\"" + NONCE + "\",\"case\":1,\"id\":\"anon/sq512\"}");
        Judgement j = judgeRun(boot("6.12.1", lines, VmResult.Status.TIMEOUT, ConsoleSamples.SOFT_LOCKUP, 0));
        JudgedVm row = j.vms().getFirst();
        assertThat(row.verdict()).isEqualTo(Verdict.INFRA);
        assertThat(row.cases()).hasSize(1).allMatch(c -> c.verdict() == Verdict.PASS);
        JudgedVm.Issue issue = row.issues().getFirst();
        assertThat(issue.reason()).contains("TIMEOUT", "during case anon/sq256", "soft lockup at console.log:", "1 results before it are kept");
        assertThat(issue.excerpt()).contains("watchdog: BUG: soft lockup");
        assertThat(j.exitCode()).isEqualTo(3);
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
        assertThat(j.exitCode()).isEqualTo(1);
    }

    @Test
    void cleanRunsExitZeroAndRepeatsAggregateIntoOneRow() throws Exception {
        List<String> lines = List.of(header(0), rec(0, "anon", "ok", null), end(1, 0));
        Judgement j = judgeRun(boot("6.12.1", lines, VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT, 0),
                boot("6.12.1", lines, VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT, 1));
        assertThat(j.vms()).hasSize(1);
        assertThat(j.vms().getFirst().boots()).hasSize(2);
        assertThat(j.vms().getFirst().cases().getFirst().observations()).hasSize(2);
        assertThat(j.exitCode()).isZero();
    }
}
