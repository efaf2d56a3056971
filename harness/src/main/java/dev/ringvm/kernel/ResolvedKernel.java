package dev.ringvm.kernel;

import java.nio.file.Path;

/** PROVISIONAL (replaced by the kernel branch on merge). */
public record ResolvedKernel(String id, String source, Path image, String sha256, String release, String versionString,
                             String packageName, String packageVersion) {}
