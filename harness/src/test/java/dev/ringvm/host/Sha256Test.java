package dev.ringvm.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

    @Test
    void knownValues(@TempDir Path dir) throws Exception {
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(Sha256.hex("abc")).isEqualTo(abc);
        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo(abc);
        assertThat(Sha256.hex(Files.writeString(dir.resolve("f"), "abc"))).isEqualTo(abc);
        MessageDigest d = Sha256.digest();
        d.update("ab".getBytes(StandardCharsets.UTF_8));
        d.update("c".getBytes(StandardCharsets.UTF_8));
        assertThat(Sha256.hex(d)).isEqualTo(abc);
    }

    /** The framing every cache key was built with: 8-byte big-endian length, then the bytes, label before value. */
    @Test
    void fieldsAreLengthPrefixedSoBoundariesCount(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        for (String part : new String[] {"label", "value"}) {
            framed.write(ByteBuffer.allocate(8).putLong(part.length()).array());
            framed.write(part.getBytes(StandardCharsets.UTF_8));
        }
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(framed.toByteArray()));
        assertThat(Sha256.fields().field("label", "value").hex()).isEqualTo(expected);
        assertThat(Sha256.fields().file("label", Files.writeString(dir.resolve("v"), "value")).hex()).isEqualTo(expected);
        assertThat(Sha256.fields().field("ab", "c").hex()).isNotEqualTo(Sha256.fields().field("a", "bc").hex());
    }
}
