package dev.ringvm.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test class or method needs these from the machine: without one it is skipped with the reason shown, or,
 * when the environment variable {@code CI} is set (non-empty, not {@code false}), it fails with that reason, since
 * .ci/run is supposed to provide everything (see {@link Capability#providedByCi()}). A test that boots a VM is
 * tagged {@code vm} as well.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RequiresCondition.class)
public @interface Requires {
    Capability[] value();
}
