package dev.ringvm.probe;

import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.CaseSpec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PredictionTest {
    private static CaseSpec sq(int sq) {
        return new CaseSpec(0, Backing.ANON, sq, 0, false);
    }

    private static CaseSpec sqcq(int sq, int cq) {
        return new CaseSpec(0, Backing.ANON, sq, cq, true);
    }

    @Test
    void roundupPow2() {
        assertThat(Prediction.roundupPow2(1)).isEqualTo(1);
        assertThat(Prediction.roundupPow2(4)).isEqualTo(4);
        assertThat(Prediction.roundupPow2(65)).isEqualTo(128);
        assertThat(Prediction.roundupPow2(32768)).isEqualTo(32768);
        assertThat(Prediction.predictedCq(sq(65))).isEqualTo(256);
        assertThat(Prediction.predictedCq(sqcq(4, 16))).isEqualTo(16);
    }

    @Test
    void sqeRegionIs64BytesPerEntry() {
        Prediction p = Prediction.formula(sq(4096));
        assertThat(p.sqeBytes()).isEqualTo(262144);
        assertThat(p.sqePages()).isEqualTo(64);
        assertThat(Prediction.formula(sq(64)).sqePages()).isEqualTo(1);   // fits one page: worked on 6.5
        assertThat(Prediction.formula(sq(65)).sqePages()).isEqualTo(2);   // 128 entries, two pages: EFAULT on 6.5
        assertThat(Prediction.formula(sq(32768)).sqeBytes()).isEqualTo(2L << 20);
    }

    @Test
    void ringsRegionFrom66OnWithH64() {
        // H + 16*cq rounded to 64, then 4*sq of SQ array
        Prediction p = Prediction.formula(sqcq(1024, 65536));
        assertThat(p.sqArrayOffset()).isEqualTo(64 + 16 * 65536);
        assertThat(p.ringBytes()).isEqualTo(64 + 16 * 65536 + 4 * 1024).isEqualTo(1052736);
        assertThat(p.ringPages()).isEqualTo(258);
        Prediction one = Prediction.formula(sq(1));
        assertThat(one.ringBytes()).isEqualTo(128 + 4);
        assertThat(one.ringPages()).isEqualTo(1);
        Prediction small = Prediction.formula(sqcq(4, 16));
        assertThat(small.ringBytes()).isEqualTo(64 + 256 + 16);
        Prediction big = Prediction.formula(sqcq(4, 512)); // CQSIZE pushes the rings past one page
        assertThat(big.ringBytes()).isEqualTo(64 + 8192 + 16);
        assertThat(big.ringPages()).isEqualTo(3);
    }

    @Test
    void learntOffsetsOf65() {
        // 6.5 reports cq_off.cqes = 320: 320 + 16*16 = 576, cache aligned 576, + 16
        int array = Prediction.formulaSqArrayOffset(320, 16);
        assertThat(array).isEqualTo(576);
        Prediction p = Prediction.learnt(sqcq(4, 16), 320, array);
        assertThat(p.ringBytes()).isEqualTo(592);
        assertThat(p.offsetsLearnt()).isTrue();
        assertThat(Prediction.formula(sq(1)).offsetsLearnt()).isFalse();
        assertThat(Prediction.formulaSqArrayOffset(64, 3)).isEqualTo(128); // 112 rounded up to 128
    }
}
