package dev.ringvm.run;

/** A kernel that could not be resolved: reported, never booted, and the run exits 3. */
public record UnavailableKernel(String id, String source, String reason) {}
