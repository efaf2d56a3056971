package dev.ringvm.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Builds small .deb files and synthetic bzImages for tests. */
public final class TestDebs {

    private TestDebs() {}

    /** A fake bzImage: zeros, "HdrS" at 0x202, kernel_version at 0x20E pointing at {@code version}, plus padding. */
    public static byte[] bzImage(String version) {
        byte[] img = new byte[0x4000];
        System.arraycopy("HdrS".getBytes(StandardCharsets.US_ASCII), 0, img, 0x202, 4);
        int offset = 0x1000; // the string lives at offset + 0x200
        img[0x20E] = (byte) (offset & 0xff);
        img[0x20F] = (byte) (offset >> 8);
        byte[] v = version.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, img, offset + 0x200, v.length);
        img[offset + 0x200 + v.length] = 0;
        return img;
    }

    /**
     * A fake raw arm64 Image: the 64-byte header (magic "ARM\x64" at 0x38, flags at 0x18 with the page size code
     * {@code 1/2/3} for 4/16/64 KiB in bits 1-2), zeros, and the banner {@code "Linux version " + version + "\n"} at
     * 0x2000, plus padding.
     */
    public static byte[] arm64Image(String version, int pageKiB) {
        byte[] img = new byte[0x4000];
        img[0x38] = 'A';
        img[0x39] = 'R';
        img[0x3A] = 'M';
        img[0x3B] = 0x64;
        int code = switch (pageKiB) {
            case 4 -> 1;
            case 16 -> 2;
            case 64 -> 3;
            default -> 0;
        };
        img[0x18] = (byte) (code << 1 | 1 << 3); // page size, and bit 3 (placement anywhere) as real kernels set it
        byte[] banner = ("Linux version " + version + "\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(banner, 0, img, 0x2000, banner.length);
        return img;
    }

    /** {@code bytes} gzip-compressed, as Ubuntu ships its arm64 vmlinuz. */
    public static byte[] gzip(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Files (name -> bytes; a name ending in "/" is a directory, a value starting with "->" a symlink). */
    public static Map<String, byte[]> files(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            Object v = nameThenBytes[i + 1];
            m.put((String) nameThenBytes[i], v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) v);
        }
        return m;
    }

    /** Writes a .deb with a data.tar compressed as {@code compression} ("xz", "zst", "gz" or "" for none). */
    public static Path deb(Path file, String compression, Map<String, byte[]> data) throws IOException {
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (OutputStream c = compressor(compression, tarBytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(c)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (Map.Entry<String, byte[]> e : data.entrySet()) {
                String name = e.getKey();
                String content = new String(e.getValue(), StandardCharsets.UTF_8);
                if (name.endsWith("/")) {
                    tar.putArchiveEntry(new TarArchiveEntry(name));
                    tar.closeArchiveEntry();
                } else if (content.startsWith("->")) {
                    TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName(content.substring(2));
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                } else {
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    entry.setSize(e.getValue().length);
                    tar.putArchiveEntry(entry);
                    tar.write(e.getValue());
                    tar.closeArchiveEntry();
                }
            }
        }
        byte[] dataTar = tarBytes.toByteArray();
        String member = compression.isEmpty() ? "data.tar" : "data.tar." + compression;
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(Files.newOutputStream(file))) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar.xz", xzOfEmptyTar());
            member(ar, member, dataTar);
        }
        return file;
    }

    private static OutputStream compressor(String compression, OutputStream out) throws IOException {
        return switch (compression) {
            case "xz" -> new XZCompressorOutputStream(out);
            case "zst" -> new ZstdCompressorOutputStream(out);
            case "gz" -> new GzipCompressorOutputStream(out);
            case "" -> out;
            default -> throw new IllegalArgumentException(compression);
        };
    }

    private static byte[] xzOfEmptyTar() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(b))) {
            tar.finish();
        }
        return b.toByteArray();
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] bytes) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
        ar.write(bytes);
        ar.closeArchiveEntry();
    }
}
