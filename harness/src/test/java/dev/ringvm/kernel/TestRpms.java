package dev.ringvm.kernel;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Writes small RPM files the way rpm lays them out (lead, signature header padded to 8 bytes, main header, compressed
 * newc cpio payload), independently of {@link RpmArchive}, for its tests. Real rpmbuild output: {@code RpmBuildTest}.
 */
final class TestRpms {
    private TestRpms() {}

    /** An RPM named {@code name-version-release} holding {@code files}, payload compressed with {@code compressor}. */
    static Path rpm(Path file, String compressor, String name, String version, String release, Map<String, byte[]> files)
            throws IOException {
        byte[] payload = payload(compressor, files);
        Map<Integer, Object> main = new LinkedHashMap<>();
        main.put(RpmArchive.TAG_NAME, name);
        main.put(RpmArchive.TAG_VERSION, version);
        main.put(RpmArchive.TAG_RELEASE, release);
        main.put(RpmArchive.TAG_ARCH, "x86_64");
        main.put(RpmArchive.TAG_PAYLOADFORMAT, "cpio");
        main.put(RpmArchive.TAG_PAYLOADCOMPRESSOR, compressor);
        main.put(RpmArchive.TAG_PAYLOADDIGEST, List.of(sha256(payload)));
        main.put(RpmArchive.TAG_PAYLOADDIGESTALGO, new int[] {RpmArchive.HASH_SHA256});
        byte[] mainHeader = header(main);
        Map<Integer, Object> sig = new LinkedHashMap<>();
        sig.put(RpmArchive.SIGTAG_SIZE, new int[] {mainHeader.length + payload.length});
        byte[] sigHeader = header(sig);
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] lead = new byte[RpmArchive.LEAD_SIZE];
            System.arraycopy(RpmArchive.LEAD_MAGIC, 0, lead, 0, 4);
            lead[4] = 3; // major version
            byte[] nvr = (name + "-" + version + "-" + release).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(nvr, 0, lead, 10, Math.min(nvr.length, 65));
            lead[79] = 5; // signature type: header-style
            out.write(lead);
            out.write(sigHeader);
            out.write(new byte[(8 - sigHeader.length % 8) % 8]);
            out.write(mainHeader);
            out.write(payload);
        }
        return file;
    }

    /** newc cpio of {@code files} (names as rpm stores them: {@code ./lib/modules/R/vmlinuz}), compressed. */
    static byte[] payload(String compressor, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream c = compressor(compressor, bytes);
             CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(c, CpioConstants.FORMAT_NEW)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, e.getKey(), e.getValue().length);
                entry.setMode(CpioConstants.C_ISREG | 0644);
                cpio.putArchiveEntry(entry);
                cpio.write(e.getValue());
                cpio.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static OutputStream compressor(String name, OutputStream out) throws IOException {
        return switch (name) {
            case "xz" -> new XZCompressorOutputStream(out);
            case "zstd" -> new ZstdCompressorOutputStream(out);
            case "gzip" -> new GzipCompressorOutputStream(out);
            case "bzip2" -> new BZip2CompressorOutputStream(out);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** A header: magic, reserved, entry count, data size, entries (tag, type, offset, count), data. */
    static byte[] header(Map<Integer, Object> tags) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<int[]> index = new ArrayList<>();
        for (Map.Entry<Integer, Object> e : tags.entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s) {
                index.add(new int[] {e.getKey(), RpmArchive.TYPE_STRING, data.size(), 1});
                data.write(s.getBytes(StandardCharsets.UTF_8));
                data.write(0);
            } else if (v instanceof List<?> l) {
                index.add(new int[] {e.getKey(), RpmArchive.TYPE_STRING_ARRAY, data.size(), l.size()});
                for (Object o : l) {
                    data.write(((String) o).getBytes(StandardCharsets.UTF_8));
                    data.write(0);
                }
            } else if (v instanceof int[] a) {
                while (data.size() % 4 != 0) data.write(0);
                index.add(new int[] {e.getKey(), RpmArchive.TYPE_INT32, data.size(), a.length});
                DataOutputStream d = new DataOutputStream(data);
                for (int x : a) d.writeInt(x);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(RpmArchive.HEADER_MAGIC);
        d.writeInt(0);
        d.writeInt(index.size());
        d.writeInt(data.size());
        for (int[] e : index) for (int x : e) d.writeInt(x);
        d.write(data.toByteArray());
        return out.toByteArray();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
