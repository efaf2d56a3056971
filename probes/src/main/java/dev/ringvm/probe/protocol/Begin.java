package dev.ringvm.probe.protocol;

/** Written before a case runs, so a crash or hang names the case that caused it. */
public record Begin(String nonce, CaseSpec spec) implements ProbeRecord {}
