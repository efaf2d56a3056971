package dev.ringvm.testing;

import static org.junit.jupiter.api.extension.ConditionEvaluationResult.disabled;
import static org.junit.jupiter.api.extension.ConditionEvaluationResult.enabled;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The condition behind {@link Requires}: enabled, disabled with the reasons, or (under CI) a failure. */
final class RequiresCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getElement(), Requires.class)
                .map(r -> evaluate(List.of(r.value()), Capability::missing, System.getenv("CI")))
                .orElse(enabled("no @Requires here"));
    }

    /**
     * Pure form for tests: {@code missing} says why a capability is absent; {@code ci} is the value of {@code CI}.
     *
     * @throws IllegalStateException under CI when a capability that CI provides is missing
     */
    static ConditionEvaluationResult evaluate(List<Capability> needed, Function<Capability, Optional<String>> missing,
                                              String ci) {
        List<Capability> absent = needed.stream().filter(c -> missing.apply(c).isPresent()).toList();
        if (absent.isEmpty()) return enabled("has " + needed);
        String reason = String.join("; ", absent.stream().map(c -> missing.apply(c).orElseThrow()).toList());
        if (underCi(ci) && absent.stream().anyMatch(Capability::providedByCi)) {
            throw new IllegalStateException(reason + " (CI is set: .ci/run is supposed to provide it)");
        }
        return disabled(reason);
    }

    /** CI is set to anything non-empty other than {@code false}. */
    static boolean underCi(String ci) {
        return ci != null && !ci.isBlank() && !ci.strip().equalsIgnoreCase("false");
    }
}
