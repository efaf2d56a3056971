package dev.ringvm.verdict;

import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.probe.protocol.Header;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.run.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The case families beyond the rings, regions across huge pages and the aliased region, per era. */
class JudgeFamiliesTest {
    private final ExpectationModel model = ExpectationModel.standard();
    private static final Header ROOT = Fixtures.header("test", 0L);

    private Ruling judge(String release, Result c) {
        return Judge.one(c, model.expect(release, c.caseClass(), null), ROOT);
    }

    /** A result of {@code id} (family, edge and layout given as wire fields), ok or an errno, changed by {@code more}. */
    private static Result of(String id, String result, Consumer<Map<String, Object>> more) {
        int errno = switch (result) {
            case "ok" -> 0;
            case "EINVAL" -> 22;
            case "EFAULT" -> 14;
            default -> 12;
        };
        return Fixtures.with(Fixtures.typedResult(0, "anon", 256, 4, 4, result, errno), f -> {
            f.put("id", id);
            more.accept(f);
        });
    }

    private static Result memRegion(String result, Consumer<Map<String, Object>> more) {
        return of("mem-region/anon/pages16", result, f -> {
            f.put("family", "mem-region");
            f.put("sqEntries", 16L);
            f.put("sqePages", 0L); // the structure's memory is recorded as the rings region
            f.put("ringPages", 16L);
            f.put("ringBytes", 16L * 4096); // the last wait slot is ringBytes / 64 - 1 (pages of any size)
            more.accept(f);
        });
    }

    private static Result aliased(String result, Consumer<Map<String, Object>> more) {
        return of("edge/aliased/anon/sq256", result, f -> {
            f.put("edge", "aliased");
            more.accept(f);
        });
    }

    @Test
    void theAliasedRegionIsCorruptOn65RefusedOn66To69AndWorksFrom610() {
        Result corrupt = aliased("ok", f -> { f.put("ringWorks", false); f.put("badSlot", 32L); f.put("ringError", "CQ slot 32: ..."); });
        assertThat(corrupt.caseClass()).isEqualTo(CaseClass.ALIASED);
        Ruling r = judge("6.5.13", corrupt);
        assertThat(r.verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(r.reason()).startsWith("ring-corrupt on ").contains("expected on 6.5-rc1..6.5.*");
        assertThat(judge("6.12.117", corrupt).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(judge("6.8.0", corrupt).verdict()).isEqualTo(Verdict.REGRESSION);

        Ruling refused = judge("6.8.0", aliased("EINVAL", f -> { }));
        assertThat(refused.verdict()).isEqualTo(Verdict.PASS);
        assertThat(refused.reason()).contains("refused, as it must be");
        assertThat(judge("6.12.117", aliased("EINVAL", f -> { })).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(judge("6.12.117", aliased("ok", f -> { })).verdict()).isEqualTo(Verdict.PASS);
        assertThat(judge("6.8.0", aliased("ok", f -> { })).verdict()).isEqualTo(Verdict.FIXED);
        assertThat(judge("6.1.0", aliased("EINVAL", f -> { })).verdict()).isEqualTo(Verdict.UNSUPPORTED);
    }

    @Test
    void regionsAcrossTwoHugePagesFollowTheContiguityRule() {
        Result einval = of("span/hugetlb/sq256", "EINVAL", f -> { f.put("layout", "span"); f.put("backing", "hugetlb"); });
        assertThat(einval.caseClass()).isEqualTo(CaseClass.SPAN_HUGETLB);
        assertThat(judge("6.8.0", einval).verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(judge("6.12.117", einval).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(judge("6.5.0", of("span/hugetlb/sq256", "EFAULT", f -> { f.put("layout", "span"); f.put("backing", "hugetlb"); }))
                .verdict()).isEqualTo(Verdict.KNOWN_BUG);
    }

    @Test
    void theLastWaitSlotReadAsSlotZeroIsAKnownBugFrom613AndOtherCorruptionARegression() {
        Result last = memRegion("ok", f -> { f.put("ringWorks", false); f.put("badSlot", 1023L); f.put("readSlot", 0L);
            f.put("ringError", "wait slot 1023: ... EFAULT"); f.put("completions", 31L); });
        assertThat(last.outcome()).isEqualTo(Result.LAST_SLOT_READS_0);
        Ruling r = judge("7.3.4", last);
        assertThat(r.verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(r.reason()).startsWith("last-slot-reads-0 on ");

        Result other = memRegion("ok", f -> { f.put("ringWorks", false); f.put("badSlot", 63L); f.put("readSlot", 0L);
            f.put("ringError", "wait slot 63: ... EFAULT"); f.put("completions", 1L); });
        assertThat(other.outcome()).isEqualTo("ring-corrupt");
        assertThat(judge("7.3.4", other).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(judge("7.3.4", memRegion("ok", f -> { })).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void registrationsAKernelDoesNotKnowAreUnsupportedBefore613() {
        Ruling r = judge("6.12.117", memRegion("EINVAL", f -> { }));
        assertThat(r.verdict()).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(r.reason()).isEqualTo("EINVAL: 6.12.117 does not know IORING_REGISTER_MEM_REGION (added in 6.13)");
        assertThat(judge("7.3.4", memRegion("EINVAL", f -> { })).verdict()).isEqualTo(Verdict.REGRESSION);
        Result resize = of("resize-rings/anon/sq256", "EINVAL", f -> f.put("family", "resize-rings"));
        assertThat(judge("6.12.117", resize).reason()).contains("IORING_REGISTER_RESIZE_RINGS (added in 6.13)");
        assertThat(judge("6.1.0", resize).verdict()).isEqualTo(Verdict.UNSUPPORTED);
    }

    @Test
    void waitRegionEdgesAreRefusedWithTheirErrnoOrUnsupported() {
        Result nul = of("edge/null/mem-region/anon/pages16", "EFAULT", f -> {
            f.put("edge", "null");
            f.put("family", "mem-region");
            f.put("sqEntries", 16L);
        });
        assertThat(nul.caseClass()).isEqualTo(CaseClass.EDGE);
        assertThat(judge("7.3.4", nul).reason()).isEqualTo("EFAULT: null wait region refused, as it must be");
        Result enabled = of("edge/enabled-ring/mem-region/anon/pages16", "EINVAL", f -> {
            f.put("edge", "enabled-ring");
            f.put("family", "mem-region");
            f.put("sqEntries", 16L);
        });
        assertThat(judge("7.3.4", enabled).verdict()).isEqualTo(Verdict.PASS);
        assertThat(judge("6.12.117", enabled).verdict()).isEqualTo(Verdict.UNSUPPORTED);
        Result nul612 = Fixtures.with(nul, f -> { f.put("result", "EINVAL"); f.put("errno", 22L); });
        assertThat(judge("6.12.117", nul612).verdict()).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(judge("7.3.4", nul612).verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void aProvidedBufferRingMustWorkOnEveryNoMmapKernel() {
        Result bad = of("pbuf-ring/anon/bufs256", "ok", f -> { f.put("family", "pbuf-ring"); f.put("ringWorks", false);
            f.put("badSlot", 64L); f.put("ringError", "buffer ring entry 64: ..."); });
        assertThat(bad.caseClass()).isEqualTo(CaseClass.PBUF_RING);
        assertThat(judge("6.5.0", bad).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(judge("6.8.0", of("pbuf-ring/anon/bufs256", "ok", f -> f.put("family", "pbuf-ring"))).verdict())
                .isEqualTo(Verdict.PASS);
        assertThat(judge("6.1.0", of("pbuf-ring/anon/bufs256", "EINVAL", f -> f.put("family", "pbuf-ring"))).verdict())
                .isEqualTo(Verdict.UNSUPPORTED);
    }

    /** An unprivileged probe (uid 65534, no CAP_IPC_LOCK) under RLIMIT_MEMLOCK 64 KiB. */
    private static final Header USER = new Header(Fixtures.NONCE, "0.1.0", "7.3.4", "x86_64", 4096, 2048L, 16L, 16L,
            "madvise", 65536L, 65536L, 65534L, false, 0L, 0L, "default", 3, 1000L, 2000L);

    private Ruling asUser(String release, Result c) {
        return Judge.one(c, model.expect(release, c.caseClass(), null), USER);
    }

    @Test
    void unprivilegedEnomemExactlyWhereTheMemoryExceedsTheLimit() {
        // 4 SQE pages + 4 rings pages = 32 KiB: within 64 KiB
        Result small = of("anon/sq256", "ok", f -> { });
        assertThat(Judge.chargedBytes(small, model.expect("6.18.44", small.caseClass(), null), 4096)).isEqualTo(32768);
        // the same eight pages on an arm64 16K kernel
        assertThat(Judge.chargedBytes(small, model.expect("6.18.44", small.caseClass(), null), 16384)).isEqualTo(131072);
        assertThat(asUser("6.18.44", small).verdict()).isEqualTo(Verdict.PASS);
        Ruling r = asUser("6.18.44", of("anon/sq256", "ENOMEM", f -> { }));
        assertThat(r.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(r.reason()).startsWith("ENOMEM although the case pins only 32768 bytes, within RLIMIT_MEMLOCK 65536");

        // 16 + 4 pages = 80 KiB: over 64 KiB
        Result big = of("anon/sq256", "ENOMEM", f -> f.put("sqePages", 16L));
        r = asUser("6.18.44", big);
        assertThat(r.verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(r.reason()).isEqualTo("ENOMEM: the case pins 81920 bytes, over RLIMIT_MEMLOCK 65536 (uid 65534, no"
                + " CAP_IPC_LOCK): 6.18.44 charges this memory to it (6.14-rc1..7.1.*, 7.2-rc1..7.2.10)");
        Result bigOk = of("anon/sq256", "ok", f -> f.put("sqePages", 16L));
        assertThat(asUser("6.18.44", bigOk).verdict()).isEqualTo(Verdict.REGRESSION);
        // before 6.14 nothing is charged, and from 7.2 rings are not: ok over the limit is right, ENOMEM is not
        assertThat(asUser("6.12.117", bigOk).verdict()).isEqualTo(Verdict.PASS);
        assertThat(asUser("6.12.117", big).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(asUser("7.3.4", bigOk).verdict()).isEqualTo(Verdict.PASS);
        assertThat(asUser("7.2.11", bigOk).verdict()).isEqualTo(Verdict.PASS);
        assertThat(asUser("7.2.9", big).verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(asUser("7.3.4", big).verdict()).isEqualTo(Verdict.REGRESSION);
        // registered wait regions are still charged on 7.3, but the carrier ring is not: 16 pages fit 64 KiB exactly,
        // 17 do not; on 6.18 the carrier's 2 pages count too
        assertThat(asUser("7.3.4", memRegion("ok", f -> { })).verdict()).isEqualTo(Verdict.PASS);
        assertThat(asUser("7.3.4", memRegion("ENOMEM", f -> { })).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(asUser("7.3.4", memRegion("ENOMEM", f -> f.put("ringPages", 17L))).verdict()).isEqualTo(Verdict.KNOWN_BUG);
        assertThat(asUser("6.18.44", memRegion("ENOMEM", f -> { })).verdict()).isEqualTo(Verdict.KNOWN_BUG);
        // root holds CAP_IPC_LOCK: never charged, whatever its limit
        assertThat(Judge.one(big, model.expect("6.18.44", big.caseClass(), null), ROOT).verdict()).isEqualTo(Verdict.REGRESSION);
    }
}
