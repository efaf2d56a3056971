package dev.ringvm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

class RequiresConditionTest {
    private static final Function<Capability, Optional<String>> NO_QEMU_NO_VNG = c -> Optional.ofNullable(Map.of(
            Capability.QEMU, "qemu-system-x86_64 not installed", Capability.VNG, "virtme-ng is not installed").get(c));

    @Test
    void enabledWhenEveryCapabilityIsThere() {
        ConditionEvaluationResult r = RequiresCondition.evaluate(List.of(Capability.GCC, Capability.BUSYBOX), NO_QEMU_NO_VNG, "true");
        assertThat(r.isDisabled()).isFalse();
    }

    @Test
    void outsideCiAMissingCapabilityDisablesWithEveryReason() {
        for (String ci : new String[] {null, "", "false", "FALSE", " "}) {
            ConditionEvaluationResult r = RequiresCondition.evaluate(
                    List.of(Capability.QEMU, Capability.GCC, Capability.VNG), NO_QEMU_NO_VNG, ci);
            assertThat(r.isDisabled()).as("CI=%s", ci).isTrue();
            assertThat(r.getReason()).hasValue("qemu-system-x86_64 not installed; virtme-ng is not installed");
        }
    }

    @Test
    void underCiAMissingCapabilityFailsWithTheReason() {
        for (String ci : new String[] {"true", "1", "yes"}) {
            assertThatThrownBy(() -> RequiresCondition.evaluate(List.of(Capability.QEMU), NO_QEMU_NO_VNG, ci))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("qemu-system-x86_64 not installed (CI is set: .ci/run is supposed to provide it)");
        }
    }

    @Test
    void underCiWhatCiDoesNotProvideStillSkips() {
        assertThat(Capability.VNG.providedByCi()).isFalse();
        ConditionEvaluationResult r = RequiresCondition.evaluate(List.of(Capability.VNG), NO_QEMU_NO_VNG, "true");
        assertThat(r.isDisabled()).isTrue();
        assertThat(r.getReason()).hasValue("virtme-ng is not installed");
    }
}
