package dev.ringvm.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ringvm.model.GuestRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchUnitTest {

    @Test
    void statsOfOddAndEvenSamples() {
        Stats odd = Stats.of(List.of(4.49, 3.08, 3.24));
        assertThat(odd).isEqualTo(new Stats(3, 3.08, 3.24, 4.49));
        assertThat(odd.format(2)).isEqualTo("min 3.08 s  median 3.24 s  max 4.49 s");
        Stats even = Stats.of(List.of(2.0, 1.0, 4.0, 3.0));
        assertThat(even.median()).isEqualTo(2.5);
        assertThat(even.n()).isEqualTo(4);
        assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void probeBootSplitsIntoStagesFromConsoleAndRecords() {
        String console = """
                [    0.000000] Linux version 6.12.117
                ringvm: init at 2.31s kernel 6.12.117+deb13-cloud-amd64 nonce=n1 grid=default
                ringvm: probe starting
                ringvm: probe exited rc=0 at 9.87s
                """;
        GuestRun guest = GuestRun.parse(List.of(
                "{\"type\":\"header\",\"nonce\":\"n1\",\"cases\":1,\"processStartMillis\":2400,\"uptimeMillis\":5650}",
                "{\"type\":\"begin\",\"nonce\":\"n1\",\"case\":0,\"id\":\"memalign/sq1\"}",
                "{\"type\":\"result\",\"nonce\":\"n1\",\"case\":0,\"id\":\"memalign/sq1\",\"result\":\"ok\"}",
                "{\"type\":\"end\",\"nonce\":\"n1\",\"count\":1,\"uptimeMillis\":9700}"), "n1");
        BootSample s = BootSample.probe(11.0, console, guest);
        assertThat(s.toInit().getAsDouble()).isCloseTo(2.31, within(1e-9));
        assertThat(s.initToJvm().getAsDouble()).isCloseTo(0.09, within(1e-9));
        assertThat(s.jvmStartup().getAsDouble()).isCloseTo(3.25, within(1e-9));
        assertThat(s.grid().getAsDouble()).isCloseTo(4.05, within(1e-9));
        assertThat(s.jvmExit().getAsDouble()).isCloseTo(0.17, within(1e-9));
        assertThat(s.outsideKernel().getAsDouble()).isCloseTo(11.0 - 9.87, within(1e-9));
    }

    @Test
    void missingRecordsLeaveStagesUnknownNotZero() {
        BootSample s = BootSample.probe(30.0, "ringvm: init at 2.0s\n", GuestRun.parse(List.of(), "n"));
        assertThat(s.toInit()).hasValue(2.0);
        assertThat(s.jvmStartup()).isEmpty();
        assertThat(s.grid()).isEmpty();
        assertThat(s.outsideKernel()).hasValue(28.0); // falls back to /init when the probe never said it exited
    }

    @Test
    void floorBootReadsItsOwnUptimeLine() {
        BootSample s = BootSample.floor(3.3, "6.12.117+deb13-cloud-amd64\nringvm-floor: 2.45s\n");
        assertThat(s.toInit()).hasValue(2.45);
        assertThat(s.outsideKernel().getAsDouble()).isCloseTo(0.85, within(1e-9));
        assertThat(BootBench.FLOOR_INIT).contains("uname -r", "ringvm-floor: ${up}s", "poweroff -f");
    }
}
