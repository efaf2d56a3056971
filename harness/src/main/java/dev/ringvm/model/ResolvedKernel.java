package dev.ringvm.model;

import dev.ringvm.config.KernelSource;

import java.nio.file.Path;

/**
 * A kernel ready to boot.
 *
 * @param id             the kernels.yaml id
 * @param source         where it came from, as kernels.yaml said it
 * @param image          the bzImage (in the cache for apt sources, the user's file for path sources)
 * @param sha256         hex sha256 of the image
 * @param release        first word of the image's version string (uname -r)
 * @param versionString  the image's whole version string
 * @param packageName    the package the apt source resolved to, null for path sources
 * @param packageVersion its Debian version, null for path sources
 */
public record ResolvedKernel(String id, KernelSource source, Path image, String sha256, String release, String versionString,
                             String packageName, String packageVersion) {

    /** True for a {@code host: true} kernel: the probe runs on the running kernel, not in a VM. */
    public boolean onHost() {
        return source instanceof KernelSource.HostSource;
    }
}
