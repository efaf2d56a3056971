package dev.ringvm.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A kernel that could not be resolved: reported, never booted. One that is merely unreachable (offline, 404) fails
 * the run (exit 3) only with {@code --require-all}; an {@code integrity} failure (a checksum mismatch, a file that is
 * not a kernel image, a truncated image, a package whose image differs from its kernels.lock pin) always does.
 */
public record UnavailableKernel(@JsonProperty("kernel") String id, String source, String reason,
                                @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean integrity) {
    public UnavailableKernel(String id, String source, String reason) {
        this(id, source, reason, false);
    }
}
