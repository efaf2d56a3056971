package dev.ringvm.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Every sha256 ringvm computes (file checksums, cache keys, fingerprints), as lower-case hex, through commons-codec's
 * {@link DigestUtils}.
 */
public final class Sha256 {
    private Sha256() {}

    /** Of a file's bytes, streamed. */
    public static String hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DigestUtils.sha256Hex(in);
        }
    }

    /** Of a string's UTF-8 bytes. */
    public static String hex(String text) {
        return DigestUtils.sha256Hex(text);
    }

    public static String hex(byte[] bytes) {
        return DigestUtils.sha256Hex(bytes);
    }

    /** A fresh digest, for bytes hashed while they pass (a download); finish with {@link #hex(MessageDigest)}. */
    public static MessageDigest digest() {
        return DigestUtils.getSha256Digest();
    }

    public static String hex(MessageDigest digest) {
        return Hex.encodeHexString(digest.digest());
    }

    /** A cache key over labelled fields, each length-prefixed, so ("ab","c") and ("a","bc") differ. */
    public static Fields fields() {
        return new Fields();
    }

    /** Labelled, length-prefixed fields (a label, then a value or a file's bytes); {@link #hex()} ends it. */
    public static final class Fields {
        private final MessageDigest md = digest();

        private Fields() {}

        public Fields field(String label, byte[] value) {
            put(label.getBytes(StandardCharsets.UTF_8));
            put(value);
            return this;
        }

        public Fields field(String label, String value) {
            return field(label, value.getBytes(StandardCharsets.UTF_8));
        }

        /** The label, the file's size, then its bytes (the same framing as a field holding them). */
        public Fields file(String label, Path file) throws IOException {
            put(label.getBytes(StandardCharsets.UTF_8));
            md.update(ByteBuffer.allocate(8).putLong(Files.size(file)).array());
            try (InputStream in = Files.newInputStream(file)) {
                DigestUtils.updateDigest(md, in);
            }
            return this;
        }

        public String hex() {
            return Sha256.hex(md);
        }

        private void put(byte[] b) {
            md.update(ByteBuffer.allocate(8).putLong(b.length).array());
            md.update(b);
        }
    }
}
