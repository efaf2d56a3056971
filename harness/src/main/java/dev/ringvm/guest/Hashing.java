package dev.ringvm.guest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 over length-prefixed fields, so ("ab","c") and ("a","bc") differ. */
final class Hashing {
    private final MessageDigest md;

    Hashing() {
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    Hashing field(String label, byte[] value) {
        put(label.getBytes(StandardCharsets.UTF_8));
        put(value);
        return this;
    }

    Hashing field(String label, String value) {
        return field(label, value.getBytes(StandardCharsets.UTF_8));
    }

    Hashing file(String label, Path file) throws IOException {
        put(label.getBytes(StandardCharsets.UTF_8));
        md.update(ByteBuffer.allocate(8).putLong(Files.size(file)).array());
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return this;
    }

    String hex() {
        return HexFormat.of().formatHex(md.digest());
    }

    private void put(byte[] b) {
        md.update(ByteBuffer.allocate(8).putLong(b.length).array());
        md.update(b);
    }
}
