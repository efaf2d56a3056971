package dev.ringvm.verdict;

import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.config.Expectations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectationModelTest {
    private final ExpectationModel model = ExpectationModel.standard();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "6.12.117+deb13-cloud-amd64, 6.12.117",
            "6.1.0-50-cloud-amd64, 6.1.y",
            "6.5.0-14-generic, 6.5.y",
            "6.7.0-rc3, 6.7-rc3",
            "6.7-rc3, 6.7-rc3",
            "6.8.12-060812-generic, 6.8.12",
            "6.6.84, 6.6.84",
            "7.3.4+deb13-cloud-amd64, 7.3.4",
            "6.10.0, 6.10.0",
    })
    void parsesUpstreamVersionFromReleases(String release, String version) {
        assertThat(KernelVersion.parse(release)).hasValueSatisfying(v -> assertThat(v.toString()).isEqualTo(version));
    }

    @Test
    void notAVersion() {
        assertThat(KernelVersion.parse("custom")).isEmpty();
        assertThat(KernelVersion.parse(null)).isEmpty();
    }

    @Test
    void releaseCandidatesSortBeforeTheRelease() {
        assertThat(KernelVersion.bound("6.7-rc3")).isLessThan(KernelVersion.bound("6.7-rc4"));
        assertThat(KernelVersion.bound("6.7-rc4")).isLessThan(KernelVersion.bound("6.7.0"));
        assertThat(KernelVersion.bound("6.6.83")).isLessThan(KernelVersion.bound("6.6.84"));
        assertThat(KernelVersion.bound("6.9.*")).isLessThan(KernelVersion.bound("6.10-rc1"));
    }

    /** Every boundary of DOMAIN.md's timeline: columns single-page, hugetlb, thp, memalign (4 KiB). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "6.4.16,  EINVAL, EINVAL, EINVAL,    EINVAL,    true",
            "6.1.0-50-cloud-amd64, EINVAL, EINVAL, EINVAL, EINVAL, true",
            "6.5.0,   ok,     EFAULT, EFAULT,    EFAULT,    false",
            "6.5.13,  ok,     EFAULT, EFAULT,    EFAULT,    false",
            "6.5.0-14-generic, ok, EFAULT, EFAULT, EFAULT, false",
            "6.6.4,   ok,     EFAULT, EFAULT,    EFAULT,    false",
            "6.6.5,   ok,     ok,     ok|EINVAL, ok|EINVAL, false",
            "6.6.83,  ok,     ok,     ok|EINVAL, ok|EINVAL, false",
            "6.6.84,  ok,     ok,     ok,        ok,        false",
            "6.7-rc3, ok,     EFAULT, EFAULT,    EFAULT,    false",
            "6.7-rc4, ok,     ok,     ok|EINVAL, ok|EINVAL, false",
            "6.7.0,   ok,     ok,     ok|EINVAL, ok|EINVAL, false",
            "6.8.12-060812-generic, ok, ok, ok|EINVAL, ok|EINVAL, false",
            "6.9.12,  ok,     ok,     ok|EINVAL, ok|EINVAL, false",
            "6.10.0,  ok,     ok,     ok,        ok,        false",
            "6.13.5,  ok,     ok,     ok,        ok,        false",
            "6.14.0,  ok,     ok,     ok,        ok,        false",
            "7.3.4+deb13-cloud-amd64, ok, ok, ok, ok,       false",
    })
    void timelineBoundaries(String release, String single, String huge, String thp, String fourK, boolean unsupported) {
        assertThat(model.expect(release, CaseClass.SINGLE_PAGE, null).allowedText()).isEqualTo(single);
        assertThat(model.expect(release, CaseClass.MULTI_HUGETLB, null).allowedText()).isEqualTo(huge);
        assertThat(model.expect(release, CaseClass.MULTI_THP, null).allowedText()).isEqualTo(thp);
        for (CaseClass b : new CaseClass[] {CaseClass.MULTI_MEMALIGN, CaseClass.MULTI_ANON, CaseClass.MULTI_SHARED}) {
            assertThat(model.expect(release, b, null).allowedText()).as(b.key()).isEqualTo(fourK);
        }
        assertThat(model.expect(release, CaseClass.MULTI_MEMALIGN, null).unsupported()).isEqualTo(unsupported);
    }

    @Test
    void contiguityRowAndMemlockRowAreMarked() {
        assertThat(model.expect("6.8.0", CaseClass.MULTI_MEMALIGN, null).needsContiguity(CaseClass.Group.MULTI_4K)).isTrue();
        assertThat(model.expect("6.8.0", CaseClass.MULTI_HUGETLB, null).needsContiguity(CaseClass.Group.MULTI_HUGETLB)).isFalse();
        assertThat(model.expect("6.14.0", CaseClass.MULTI_MEMALIGN, null).memlockCharged(CaseClass.Group.MULTI_4K)).isTrue();
        assertThat(model.expect("6.13.0", CaseClass.MULTI_MEMALIGN, null).memlockCharged(CaseClass.Group.MULTI_4K)).isFalse();
        // 7.3.4's io_create_region() charges only registered memory regions (register.c); rings, buffer rings and
        // resized rings pass no user
        assertThat(model.expect("7.3.4", CaseClass.MULTI_MEMALIGN, null).memlockCharged(CaseClass.Group.MULTI_4K)).isFalse();
        assertThat(model.expect("7.3.4", CaseClass.MEM_REGION, null).memlockCharged(CaseClass.Group.MEM_REGION)).isTrue();
    }

    @Test
    void unknownSublevelUnitesTheRowsItSpans() {
        // Ubuntu-style 6.6.0-N could be any 6.6.y: EFAULT, the contiguity row and the vmap row all apply
        assertThat(model.expect("6.6.0-14-generic", CaseClass.MULTI_MEMALIGN, null).allowed()).containsExactlyInAnyOrder("ok", "EFAULT", "EINVAL");
    }

    @Test
    void overrideWinsWithItsReasonAndReleaseAsMovesTheKernel() {
        Expectations backport = new Expectations("Debian backports the vmap fix", null,
                Map.of("multi-4k", Set.of("ok"), "multi-memalign", Set.of("ok", "EINVAL")));
        var anon = model.expect("6.8.0", CaseClass.MULTI_ANON, backport);
        assertThat(anon.allowedText()).isEqualTo("ok");
        assertThat(anon.where()).contains("Debian backports the vmap fix");
        assertThat(model.expect("6.8.0", CaseClass.MULTI_MEMALIGN, backport).allowedText()).as("specific key wins").isEqualTo("ok|EINVAL");
        assertThat(model.expect("6.8.0", CaseClass.MULTI_HUGETLB, backport).override()).as("not overridden").isNull();

        Expectations repro = new Expectations("6.12 patched to behave like 6.5", "6.5.0", Map.of());
        assertThat(model.expect("6.12.3", CaseClass.MULTI_MEMALIGN, repro).allowedText()).isEqualTo("EFAULT");
        assertThat(model.expect("6.12.3", CaseClass.MULTI_MEMALIGN, repro).version()).hasToString("6.5.0");
    }
}
