package dev.ringvm.kernel.build;

import dev.ringvm.config.Arch;
import dev.ringvm.host.Sha256;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The cache key of a kernel build: sha256 over length-prefixed fields, so ("ab","c") and ("a","bc") differ.
 * Every input that changes the image is a field; a change of any byte gives another key and a fresh build.
 */
final class BuildKey {
    /** Bump when the builder changes how it turns the same inputs into an image. */
    static final String FORMAT = "ringvm-kernel-build/1";

    private BuildKey() {}

    /**
     * @param sourceIdentity package name and version, or tree path plus git HEAD (and dirty state) or mtime listing
     * @param baseConfig     a named base ({@code tinyconfig}) or a config file, whose bytes are hashed
     * @param fragments      fragment files, bytes hashed in order
     * @param patches        patch files, bytes hashed in order
     * @param compiler       first line of {@code gcc --version}
     */
    static String of(String sourceIdentity, String baseConfig, List<Path> fragments, List<Path> patches,
                     String compiler) throws IOException {
        return of(sourceIdentity, baseConfig, fragments, patches, compiler, Arch.X86_64);
    }

    /**
     * @param arch the target architecture: a field for every architecture but x86-64, so the keys of x86-64 builds
     *             cached before arm64 existed stay what they were
     */
    static String of(String sourceIdentity, String baseConfig, List<Path> fragments, List<Path> patches,
                     String compiler, Arch arch) throws IOException {
        Sha256.Fields k = Sha256.fields();
        k.field("format", FORMAT);
        k.field("source", sourceIdentity);
        if (BuildSteps.isNamedBase(baseConfig)) {
            k.field("base", baseConfig);
        } else {
            k.file("base-file", Path.of(baseConfig));
        }
        k.field("fragments", Integer.toString(fragments.size()));
        for (Path f : fragments) k.file("fragment", f);
        k.field("patches", Integer.toString(patches.size()));
        for (Path p : patches) k.file("patch", p);
        k.field("compiler", compiler);
        if (arch != Arch.X86_64) k.field("arch", arch.id());
        return k.hex();
    }
}
