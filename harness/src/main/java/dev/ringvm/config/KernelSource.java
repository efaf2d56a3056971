package dev.ringvm.config;

import java.nio.file.Path;
import java.util.List;

/** Where a kernel image comes from; one record per `source:` kind in kernels.yaml. */
public sealed interface KernelSource {

    /** A short human description, for example {@code apt linux-image-*-cloud-amd64 @ trixie}. */
    String describe();

    /** {@code { path: FILE }}: any bzImage/vmlinuz on disk (relative paths resolve against kernels.yaml). */
    record PathSource(Path path) implements KernelSource {
        public String describe() { return "path " + path; }
    }

    /** {@code { apt: PACKAGE-OR-GLOB, suite: SUITE }}: a Debian kernel package; the newest match wins. */
    record AptSource(String pkg, String suite) implements KernelSource {
        public String describe() { return "apt " + pkg + " @ " + suite; }
    }

    /**
     * {@code { deb: FILE-OR-URL, sha256: HEX }}: a kernel .deb from a file (relative to kernels.yaml) or an
     * http(s) URL; without sha256 the first download is pinned in kernels.lock.
     *
     * @param location an absolute file path or an http(s) URL
     * @param sha256   expected lower-case hex sha256 of the .deb, or null
     */
    record DebSource(String location, String sha256) implements KernelSource {
        public String describe() { return "deb " + location; }
    }

    /** {@code { mainline: vX.Y[.Z] }}: a prebuilt upstream kernel from Ubuntu's mainline build archive. */
    record MainlineSource(String version) implements KernelSource {
        public String describe() { return "mainline " + version; }
    }

    /** {@code { host: true }}: the probe runs directly on the running kernel, no VM. */
    record HostSource() implements KernelSource {
        public String describe() { return "host"; }
    }

    /**
     * {@code { build: { tree: DIR | debian-source: linux-source-X.Y, config: BASE, fragments: [...], patches: [...] } }}.
     *
     * @param tree         a local kernel source tree (absolute), or null
     * @param debianSource a Debian source package name such as {@code linux-source-6.12}, or null (exactly one of
     *                     tree and debianSource is set)
     * @param suite        the Debian suite to fetch {@code debianSource} from (default trixie), null with a tree
     * @param config       {@code tinyconfig}, {@code defaultconfig}/{@code defconfig}, or an absolute config file path
     * @param fragments    config fragments (absolute paths, usually under vm-images/), applied in order
     * @param patches      patches (absolute paths, usually under vm-images/patches/), applied in order with -p1
     */
    record BuildSource(Path tree, String debianSource, String suite, String config, List<Path> fragments,
                       List<Path> patches) implements KernelSource {
        public BuildSource {
            fragments = List.copyOf(fragments);
            patches = List.copyOf(patches);
        }

        public String describe() {
            return "build " + (tree != null ? tree.toString() : debianSource) + " " + config
                    + (patches.isEmpty() ? "" : " + " + patches.stream().map(p -> p.getFileName().toString()).toList());
        }
    }
}
