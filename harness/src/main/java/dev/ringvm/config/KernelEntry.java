package dev.ringvm.config;

/** One entry of the `kernels:` list: a stable id (used in reports and file names) and its source. */
public record KernelEntry(String id, KernelSource source) {}
