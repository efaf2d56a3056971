package dev.ringvm.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** kernels.yaml snippets for VM tests that boot kernels built from the repository's recipes. */
final class TestKernels {
    private TestKernels() {}

    /** The repository root (where vm-images/ lives), found upwards from the test's working directory. */
    static Path repo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("vm-images/patches"))) return d;
        }
        throw new AssertionError("vm-images/ not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * A {@code build:} source: Debian's linux-source-6.12 with the guest config fragment and one patch from
     * vm-images/patches. Built once and cached under the user cache directory, so reruns are instant.
     */
    static String build(String patch) {
        Path r = repo();
        return "{ build: { debian-source: linux-source-6.12, config: tinyconfig, fragments: ["
                + r.resolve("vm-images/kernel-config/ringvm-guest.config") + "], patches: ["
                + r.resolve("vm-images/patches").resolve(patch) + "] } }";
    }
}
