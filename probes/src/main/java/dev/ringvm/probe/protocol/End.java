package dev.ringvm.probe.protocol;

/**
 * Last record: the grid ran to its end. A missing end record is a finding.
 *
 * @param count  cases run (equals the header's {@code cases})
 * @param micros the whole grid's time
 */
public record End(String nonce, int count, Long tainted, long micros, Long uptimeMillis) implements ProbeRecord {}
