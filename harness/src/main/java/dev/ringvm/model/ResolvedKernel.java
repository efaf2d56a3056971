package dev.ringvm.model;

import java.nio.file.Path;

/**
 * A kernel ready to boot.
 *
 * @param id             the kernels.yaml id
 * @param source         {@link dev.ringvm.config.KernelSource#describe()} of its source
 * @param image          the bzImage (in the cache for apt sources, the user's file for path sources)
 * @param sha256         hex sha256 of the image
 * @param release        first word of the image's version string (uname -r)
 * @param versionString  the image's whole version string
 * @param packageName    the package the apt source resolved to, null for path sources
 * @param packageVersion its Debian version, null for path sources
 */
public record ResolvedKernel(String id, String source, Path image, String sha256, String release, String versionString,
                             String packageName, String packageVersion) {}
