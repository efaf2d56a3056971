package dev.ringvm.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A kernel that could not be resolved: reported, never booted; the run exits 3 for it only with {@code --require-all}. */
public record UnavailableKernel(@JsonProperty("kernel") String id, String source, String reason) {}
