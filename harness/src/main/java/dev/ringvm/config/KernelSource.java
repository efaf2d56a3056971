package dev.ringvm.config;

import java.nio.file.Path;

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
}
