package dev.ringvm.kernel.build;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigFragmentsTest {

    @Test
    void parsesSetUnsetAndIgnoresComments() {
        Map<String, String> m = ConfigFragments.parse(List.of(
                "# a comment", "CONFIG_IO_URING=y", "# CONFIG_MODULES is not set", "CONFIG_NR=4",
                "CONFIG_CMD=\"a b\"", "CONFIG_OFF=n", ""));
        assertThat(m).containsExactly(Map.entry("CONFIG_IO_URING", "y"), Map.entry("CONFIG_MODULES", "n"),
                Map.entry("CONFIG_NR", "4"), Map.entry("CONFIG_CMD", "\"a b\""), Map.entry("CONFIG_OFF", "n"));
    }

    @Test
    void reportsAnOptionADependencyDropped() {
        Map<String, String> frag = ConfigFragments.parse(List.of("CONFIG_EXPERT=y", "CONFIG_IO_URING=y",
                "CONFIG_SERIAL_8250_NR_UARTS=4", "# CONFIG_MODULES is not set"));
        Map<String, String> fin = ConfigFragments.parse(List.of("CONFIG_EXPERT=y", "# CONFIG_IO_URING is not set",
                "CONFIG_SERIAL_8250_NR_UARTS=1"));
        assertThat(ConfigFragments.missing(List.of(frag), fin)).containsExactly(
                "CONFIG_IO_URING=y (got: not set)", "CONFIG_SERIAL_8250_NR_UARTS=4 (got: 1)");
    }

    @Test
    void nothingMissingWhenEverythingSurvivedAndAbsentCountsAsNotSet() {
        Map<String, String> frag = ConfigFragments.parse(List.of("CONFIG_A=y", "# CONFIG_B is not set", "CONFIG_C=n"));
        Map<String, String> fin = ConfigFragments.parse(List.of("CONFIG_A=y", "CONFIG_D=y"));
        assertThat(ConfigFragments.missing(List.of(frag), fin)).isEmpty();
    }

    @Test
    void laterFragmentsOverrideEarlierOnes() {
        Map<String, String> first = ConfigFragments.parse(List.of("CONFIG_SMP=y"));
        Map<String, String> second = ConfigFragments.parse(List.of("# CONFIG_SMP is not set"));
        assertThat(ConfigFragments.missing(List.of(first, second), Map.of())).isEmpty();
        assertThat(ConfigFragments.missing(List.of(second, first), Map.of())).containsExactly("CONFIG_SMP=y (got: not set)");
    }
}
