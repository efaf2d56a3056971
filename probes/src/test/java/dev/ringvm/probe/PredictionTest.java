package dev.ringvm.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Layout;
import dev.ringvm.probe.protocol.SetupOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sizes io_uring/io_uring.c rings_size() computes (6.12), by hand for each flag. */
class PredictionTest {
    private static CaseSpec sq(int sq, SetupOption... o) {
        return new CaseSpec(0, Layout.SEPARATE, Backing.ANON, sq, 0, false, Set.of(o));
    }

    private static CaseSpec sqcq(int sq, int cq, SetupOption... o) {
        return new CaseSpec(0, Layout.SEPARATE, Backing.ANON, sq, cq, true, Set.of(o));
    }

    @Test
    void entriesRoundUpAndCqDefaultsToTwiceSq() {
        assertThat(Prediction.predictedSq(sq(65))).isEqualTo(128);
        assertThat(Prediction.predictedCq(sq(65))).isEqualTo(256);
        assertThat(Prediction.predictedCq(sqcq(4, 500))).isEqualTo(512);
    }

    @Test
    void sqeRegionIs64BytesAnEntryAnd128WithSqe128() {
        assertThat(Prediction.formula(sq(64), true, 4096).sqePages()).isEqualTo(1);   // fits one page: worked on 6.5
        assertThat(Prediction.formula(sq(65), true, 4096).sqePages()).isEqualTo(2);   // 128 entries, two pages: EFAULT on 6.5
        assertThat(Prediction.formula(sq(32768), true, 4096).sqeBytes()).isEqualTo(2L << 20);
        assertThat(Prediction.formula(sq(64, SetupOption.SQE128), true, 4096).sqeBytes()).isEqualTo(8192);
    }

    @Test
    void ringsRegionIsHeaderCqesCacheLineAlignedThenTheSqArray() {
        // 64 + 16*16 = 320, aligned 320, + 4*4 = 336: one page
        Prediction small = Prediction.formula(sqcq(4, 16), true, 4096);
        assertThat(small.sqArrayOffset()).isEqualTo(320);
        assertThat(small.ringBytes()).isEqualTo(336);
        // 64 + 16*512 = 8256 (+16) : past one page, which is how CQSIZE met the 6.5 bug
        Prediction big = Prediction.formula(sqcq(4, 512), true, 4096);
        assertThat(big.ringBytes()).isEqualTo(8256 + 16);
        assertThat(big.ringPages()).isEqualTo(3);
        // before 6.6 the CQEs start at 320
        assertThat(Prediction.formula(sqcq(4, 16), false, 4096).ringBytes()).isEqualTo(320 + 256 + 16);
    }

    @Test
    void cqe32DoublesTheWholeHeaderPlusCqesAndNoSqArrayDropsTheArray() {
        // rings_size: off = struct_size(rings, cqes, cq) << 1 = (64 + 16*256) * 2 = 8320, aligned, no array
        Prediction p = Prediction.formula(sqcq(128, 256, SetupOption.CQE32, SetupOption.NO_SQARRAY), true, 4096);
        assertThat(p.ringBytes()).isEqualTo(8320);
        assertThat(p.sqArrayOffset()).isZero();
        assertThat(Prediction.formula(sqcq(128, 256, SetupOption.CQE32), true, 4096).ringBytes()).isEqualTo(8320 + 512);
        assertThat(Prediction.formula(sqcq(3, 3, SetupOption.NO_SQARRAY), true, 4096).ringBytes()).isEqualTo(128); // 64+64
    }

    @Test
    void learntOffsetsWin() {
        Prediction p = Prediction.learnt(sqcq(4, 16), 320, 576, 4096);
        assertThat(p.offsetsLearnt()).isTrue();
        assertThat(p.cqesOffset()).isEqualTo(320);
        assertThat(p.ringBytes()).isEqualTo(576 + 16);
        assertThat(Prediction.formula(sq(1), true, 4096).offsetsLearnt()).isFalse();
    }

    @Test
    void liburingsBufferIsTheSqesPageRoundedThenTheRingsPageRounded() {
        CaseSpec c = new CaseSpec(0, Layout.LIBURING, Backing.HUGETLB, 512, 4096, true, Set.of());
        Prediction p = Prediction.formula(c, true, 4096);
        assertThat(p.sqeBytes()).isEqualTo(32768);
        assertThat(p.ringBytes()).isEqualTo(64 + 16 * 4096 + 4 * 512);
        assertThat(p.bufferBytes()).isEqualTo(32768 + Prediction.pageAlign(64 + 16 * 4096 + 4 * 512, 4096));
        assertThat(Prediction.formula(sq(1), true, 4096).bufferBytes()).isZero();
    }

    @Test
    void pagesAreCountedInTheGuestsPageSize() {
        // sq128: 8 KiB of SQEs, two 4 KiB pages but one 16 KiB page (the 6.5 boundary moves on arm64-16k)
        assertThat(Prediction.formula(sq(128), true, 4096).sqePages()).isEqualTo(2);
        assertThat(Prediction.formula(sq(128), true, 16384).sqePages()).isEqualTo(1);
        assertThat(Prediction.formula(sq(256), true, 16384).sqePages()).isEqualTo(1);  // 16 KiB: fills the page
        assertThat(Prediction.formula(sq(257), true, 16384).sqePages()).isEqualTo(2);
        assertThat(Prediction.formula(sq(1024), true, 16384).sqePages()).isEqualTo(4);
        assertThat(Prediction.formula(sq(1024), true, 65536).sqePages()).isEqualTo(1);
        // rings of sq4/cq512: 8272 bytes, 3 pages of 4 KiB, one of 16 KiB
        assertThat(Prediction.formula(sqcq(4, 512), true, 4096).ringPages()).isEqualTo(3);
        assertThat(Prediction.formula(sqcq(4, 512), true, 16384).ringPages()).isEqualTo(1);
        // sq4/cq2048, the edge cases' rings on 16 KiB pages: 64 + 16*2048 + 16 = 32848, 3 pages again
        assertThat(Prediction.formula(sqcq(4, 2048), true, 16384).ringPages()).isEqualTo(3);
        assertThat(Prediction.formula(sqcq(4, 2048), true, 16384).pageSize()).isEqualTo(16384);
        assertThat(Prediction.structure(sq(512), 8192, 4096).ringPages()).isEqualTo(2);
        assertThat(Prediction.structure(sq(512), 8192, 16384).ringPages()).isEqualTo(1);
        assertThat(Prediction.pageAlign(1, 16384)).isEqualTo(16384);
        assertThat(Prediction.pageAlign(16384, 16384)).isEqualTo(16384);
        assertThat(Prediction.pages(16385, 16384)).isEqualTo(2);
        assertThat(Prediction.formula(sq(128), true, 16384).pinnedBytes()).isEqualTo(2 * 16384);
        assertThat(Prediction.formula(sq(128), true, 4096).pinnedBytes()).isEqualTo(2 * 4096 + 2 * 4096); // rings 4672
    }

    @Test
    void liburingsBufferRoundsToTheRealPageSize() {
        // liburing src/setup.c rounds the SQEs and the whole buffer with get_page_size()
        CaseSpec c = new CaseSpec(0, Layout.LIBURING, Backing.HUGETLB, 512, 4096, true, Set.of());
        Prediction p = Prediction.formula(c, true, 16384);
        long rings = 64 + 16 * 4096 + 4 * 512; // 67648
        assertThat(p.sqePages()).isEqualTo(2);
        assertThat(p.ringPages()).isEqualTo(5);
        assertThat(p.bufferBytes()).isEqualTo(32768 + 81920);
        assertThat(p.bufferBytes()).isEqualTo(Prediction.pageAlign(32768 + rings, 16384));
        // one 16 KiB page for init-mem's smallest: SQEs at 0, rings at 16 KiB, two pages in all
        CaseSpec small = new CaseSpec(0, Layout.LIBURING, Backing.ANON, 1, 8, true, Set.of(SetupOption.NO_SQARRAY));
        assertThat(Prediction.formula(small, true, 16384).bufferBytes()).isEqualTo(2 * 16384);
        assertThat(Prediction.formula(small, true, 4096).bufferBytes()).isEqualTo(2 * 4096);
    }
}
