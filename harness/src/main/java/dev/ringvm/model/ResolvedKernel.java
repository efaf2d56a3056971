package dev.ringvm.model;

import dev.ringvm.config.Arch;
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
 * @param arch           the architecture the image is for (kernels.yaml {@code arch:}, checked against the image)
 * @param pageKiB        the base page size the image was built for, in KiB (4 on x86-64; 4, 16 or 64 on arm64, from
 *                       its Image header); 0 when unknown (a host kernel: the probe's header has it)
 */
public record ResolvedKernel(String id, KernelSource source, Path image, String sha256, String release, String versionString,
                             String packageName, String packageVersion, Arch arch, int pageKiB) {

    public ResolvedKernel {
        if (arch == null) arch = Arch.DEFAULT;
    }

    /** An x86-64 kernel with 4 KiB pages (every kernel before arm64 was one). */
    public ResolvedKernel(String id, KernelSource source, Path image, String sha256, String release,
                          String versionString, String packageName, String packageVersion) {
        this(id, source, image, sha256, release, versionString, packageName, packageVersion, Arch.X86_64,
                image == null && source instanceof KernelSource.HostSource ? 0 : 4);
    }

    /** True for a {@code host: true} kernel: the probe runs on the running kernel, not in a VM. */
    public boolean onHost() {
        return source instanceof KernelSource.HostSource;
    }
}
