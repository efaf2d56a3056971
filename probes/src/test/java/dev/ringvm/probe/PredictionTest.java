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
        assertThat(Prediction.formula(sq(64), true).sqePages()).isEqualTo(1);   // fits one page: worked on 6.5
        assertThat(Prediction.formula(sq(65), true).sqePages()).isEqualTo(2);   // 128 entries, two pages: EFAULT on 6.5
        assertThat(Prediction.formula(sq(32768), true).sqeBytes()).isEqualTo(2L << 20);
        assertThat(Prediction.formula(sq(64, SetupOption.SQE128), true).sqeBytes()).isEqualTo(8192);
    }

    @Test
    void ringsRegionIsHeaderCqesCacheLineAlignedThenTheSqArray() {
        // 64 + 16*16 = 320, aligned 320, + 4*4 = 336: one page
        Prediction small = Prediction.formula(sqcq(4, 16), true);
        assertThat(small.sqArrayOffset()).isEqualTo(320);
        assertThat(small.ringBytes()).isEqualTo(336);
        // 64 + 16*512 = 8256 (+16) : past one page, which is how CQSIZE met the 6.5 bug
        Prediction big = Prediction.formula(sqcq(4, 512), true);
        assertThat(big.ringBytes()).isEqualTo(8256 + 16);
        assertThat(big.ringPages()).isEqualTo(3);
        // before 6.6 the CQEs start at 320
        assertThat(Prediction.formula(sqcq(4, 16), false).ringBytes()).isEqualTo(320 + 256 + 16);
    }

    @Test
    void cqe32DoublesTheWholeHeaderPlusCqesAndNoSqArrayDropsTheArray() {
        // rings_size: off = struct_size(rings, cqes, cq) << 1 = (64 + 16*256) * 2 = 8320, aligned, no array
        Prediction p = Prediction.formula(sqcq(128, 256, SetupOption.CQE32, SetupOption.NO_SQARRAY), true);
        assertThat(p.ringBytes()).isEqualTo(8320);
        assertThat(p.sqArrayOffset()).isZero();
        assertThat(Prediction.formula(sqcq(128, 256, SetupOption.CQE32), true).ringBytes()).isEqualTo(8320 + 512);
        assertThat(Prediction.formula(sqcq(3, 3, SetupOption.NO_SQARRAY), true).ringBytes()).isEqualTo(128); // 64+64
    }

    @Test
    void learntOffsetsWin() {
        Prediction p = Prediction.learnt(sqcq(4, 16), 320, 576);
        assertThat(p.offsetsLearnt()).isTrue();
        assertThat(p.cqesOffset()).isEqualTo(320);
        assertThat(p.ringBytes()).isEqualTo(576 + 16);
        assertThat(Prediction.formula(sq(1), true).offsetsLearnt()).isFalse();
    }

    @Test
    void liburingsBufferIsTheSqesPageRoundedThenTheRingsPageRounded() {
        CaseSpec c = new CaseSpec(0, Layout.LIBURING, Backing.HUGETLB, 512, 4096, true, Set.of());
        Prediction p = Prediction.formula(c, true);
        assertThat(p.sqeBytes()).isEqualTo(32768);
        assertThat(p.ringBytes()).isEqualTo(64 + 16 * 4096 + 4 * 512);
        assertThat(p.bufferBytes()).isEqualTo(32768 + Prediction.pageAlign(64 + 16 * 4096 + 4 * 512));
        assertThat(Prediction.formula(sq(1), true).bufferBytes()).isZero();
    }
}
