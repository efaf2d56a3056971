package dev.ringvm.kernel.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The cache key of a kernel build: sha256 over length-prefixed fields, so ("ab","c") and ("a","bc") differ.
 * Every input that changes the image is a field; a change of any byte gives another key and a fresh build.
 */
final class BuildKey {
    /** Bump when the builder changes how it turns the same inputs into an image. */
    static final String FORMAT = "ringvm-kernel-build/1";

    private final MessageDigest md;

    private BuildKey() {
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * @param sourceIdentity package name and version, or tree path plus git HEAD (and dirty state) or mtime listing
     * @param baseConfig     a named base ({@code tinyconfig}) or a config file, whose bytes are hashed
     * @param fragments      fragment files, bytes hashed in order
     * @param patches        patch files, bytes hashed in order
     * @param compiler       first line of {@code gcc --version}
     */
    static String of(String sourceIdentity, String baseConfig, List<Path> fragments, List<Path> patches,
                     String compiler) throws IOException {
        BuildKey k = new BuildKey();
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
        return HexFormat.of().formatHex(k.md.digest());
    }

    private void field(String label, String value) {
        put(label.getBytes(StandardCharsets.UTF_8));
        put(value.getBytes(StandardCharsets.UTF_8));
    }

    private void file(String label, Path file) throws IOException {
        put(label.getBytes(StandardCharsets.UTF_8));
        md.update(ByteBuffer.allocate(8).putLong(Files.size(file)).array());
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
    }

    private void put(byte[] b) {
        md.update(ByteBuffer.allocate(8).putLong(b.length).array());
        md.update(b);
    }
}
