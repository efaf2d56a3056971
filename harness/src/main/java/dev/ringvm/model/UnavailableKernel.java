package dev.ringvm.model;

/** A kernel that could not be resolved: reported, never booted; the run exits 3 for it only with {@code --require-all}. */
public record UnavailableKernel(String id, String source, String reason) {}
