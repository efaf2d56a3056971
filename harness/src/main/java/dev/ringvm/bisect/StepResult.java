package dev.ringvm.bisect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Map;

/**
 * One judged commit or kernel, as the state file keeps it.
 *
 * @param name         the commit's full hash, or the kernel's id
 * @param tree         the commit's tree hash (the build cache key's content), null for a prebuilt kernel
 * @param subject      the commit's subject line, or the kernel's release
 * @param reason       one line: why the answer (the first bad cell, the build failure, the INFRA detail)
 * @param cells        {@code "512M memalign/sq65"} -> {@code "REGRESSION EFAULT"} for every chosen case (and
 *                     {@code "512M vm"} for a VM-level verdict); empty when nothing booted
 * @param built        true when this step compiled a kernel, false when the image came from the cache (or none)
 * @param buildSeconds time spent getting the image (building, or finding it in the cache)
 * @param boots        VMs booted
 * @param bootSeconds  their wall time in all
 * @param dir          the step's run directory (reports of its boots), relative to the bisect's directory
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepResult(String name, String tree, String subject, Answer answer, String reason,
                         Map<String, String> cells, boolean built, double buildSeconds, int boots,
                         double bootSeconds, String dir) {

    public StepResult {
        cells = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(cells == null ? Map.of() : cells));
    }

}
