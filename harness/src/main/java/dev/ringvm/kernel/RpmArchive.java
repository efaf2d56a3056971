package dev.ringvm.kernel;

import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.Sha256;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads RPM packages in Java: the lead, the signature header and the main header (only what ringvm needs: name,
 * version, release, payload format, compressor and digest), then the payload, a cpio archive compressed with xz, zstd,
 * gzip, bzip2 or lzma, through Commons Compress. The layout is rpm's (lib/rpmlead.c, lib/header.c,
 * lib/package.c): a 96-byte lead starting {@code ED AB EE DB}; each header starts {@code 8E AD E8 01}, 4 reserved
 * bytes, the index entry count and the data size (big-endian int32), then 16 bytes per entry (tag, type, offset,
 * count) and the data; the signature header is padded to 8 bytes. Any format problem is an IOException whose message
 * is one line naming the file.
 */
public final class RpmArchive {

    /** Where kernel RPMs put the image: Fedora's and RHEL's kernel-core, openSUSE's kernel-default. */
    static final java.util.regex.Pattern KERNEL_IMAGE =
            java.util.regex.Pattern.compile("(\\./)?(boot/vmlinuz-[^/]+|(usr/)?lib/modules/[^/]+/vmlinuz)");

    static final int LEAD_SIZE = 96;
    static final byte[] LEAD_MAGIC = {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb};
    static final byte[] HEADER_MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 0x01};
    /** rpm's own limits (lib/header_internal.h): more entries or data than this is a corrupt header. */
    static final int MAX_ENTRIES = 0xffff;
    static final int MAX_DATA = 256 << 20;

    static final int TAG_NAME = 1000;
    static final int TAG_VERSION = 1001;
    static final int TAG_RELEASE = 1002;
    static final int TAG_ARCH = 1022;
    static final int TAG_PAYLOADFORMAT = 1124;
    static final int TAG_PAYLOADCOMPRESSOR = 1125;
    static final int TAG_PAYLOADDIGEST = 5092;
    static final int TAG_PAYLOADDIGESTALGO = 5093;
    /** Signature header: size of main header plus payload (int32, or int64 in LONGSIZE). */
    static final int SIGTAG_SIZE = 1000;
    static final int SIGTAG_LONGSIZE = 270;
    /** rpm's PGPHASHALGO_SHA256. */
    static final int HASH_SHA256 = 8;

    static final int TYPE_INT8 = 2;
    static final int TYPE_INT16 = 3;
    static final int TYPE_INT32 = 4;
    static final int TYPE_INT64 = 5;
    static final int TYPE_STRING = 6;
    static final int TYPE_BIN = 7;
    static final int TYPE_STRING_ARRAY = 8;
    static final int TYPE_I18NSTRING = 9;

    private RpmArchive() {}

    /** One header: tag to value (String, List of String, long[] or byte[]), the types ringvm reads. */
    record Header(Map<Integer, Object> tags) {
        Optional<String> string(int tag) {
            Object v = tags.get(tag);
            if (v instanceof String s) return Optional.of(s);
            if (v instanceof List<?> l && !l.isEmpty()) return Optional.of((String) l.getFirst());
            return Optional.empty();
        }

        Optional<Long> number(int tag) {
            return tags.get(tag) instanceof long[] a && a.length > 0 ? Optional.of(a[0]) : Optional.empty();
        }
    }

    /**
     * What precedes the payload.
     *
     * @param signature     the signature header
     * @param header        the main header
     * @param headerOffset  where the main header starts in the file
     * @param payloadOffset where the compressed payload starts in the file
     */
    record Package(Header signature, Header header, long headerOffset, long payloadOffset) {
        String name() { return header.string(TAG_NAME).orElse("?"); }

        /** {@code VERSION-RELEASE}, as rpm -q prints it after the name. */
        String versionRelease() {
            return header.string(TAG_VERSION).orElse("?") + "-" + header.string(TAG_RELEASE).orElse("?");
        }

        /** rpm's default when the tag is absent (packages older than rpm 4.x's compressor tag) is gzip. */
        String compressor() { return header.string(TAG_PAYLOADCOMPRESSOR).orElse("gzip"); }
    }

    /** Visitor of payload entries; return false to stop reading. */
    interface EntryVisitor {
        boolean visit(CpioArchiveEntry entry, InputStream content) throws IOException;
    }

    /** The lead and both headers of {@code rpm}, checked against the file's size. */
    static Package read(Path rpm) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(rpm))) {
            Package p = readHeaders(rpm, in);
            checkSize(rpm, p);
            return p;
        } catch (EOFException e) {
            throw new IOException(rpm + ": truncated RPM (unexpected end of file in its headers)", e);
        }
    }

    /** Copies the kernel image out of {@code rpm} to {@code dest}; the entry name, or empty if the package has none. */
    public static Optional<String> extractKernelImage(Path rpm, Path dest) throws IOException {
        String[] found = {null};
        walk(rpm, (entry, in) -> {
            if (entry.isRegularFile() && KERNEL_IMAGE.matcher(entry.getName()).matches()) {
                copyExactly(rpm, entry, in, dest);
                found[0] = entry.getName();
                return false;
            }
            return true;
        });
        return Optional.ofNullable(found[0]);
    }

    /** Every payload entry name, in order. */
    static List<String> list(Path rpm) throws IOException {
        List<String> names = new ArrayList<>();
        walk(rpm, (entry, in) -> names.add(entry.getName()));
        return names;
    }

    /**
     * Reads the headers, verifies the payload's sha256 against the header's payload digest (when the package has one),
     * then walks the payload's cpio entries.
     */
    static void walk(Path rpm, EntryVisitor visitor) throws IOException {
        Package p = read(rpm);
        String format = p.header().string(TAG_PAYLOADFORMAT).orElse("cpio");
        if (!format.equals("cpio")) {
            throw new IOException(rpm + ": unsupported RPM payload format \"" + format + "\" (expected cpio)");
        }
        verifyPayloadDigest(rpm, p);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(rpm), 1 << 16)) {
            raw.skipNBytes(p.payloadOffset());
            try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(decompress(rpm, p.compressor(), raw))) {
                CpioArchiveEntry entry;
                while ((entry = cpio.getNextEntry()) != null) {
                    if (!visitor.visit(entry, cpio)) return;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(rpm.toString())) throw e;
            String why = e instanceof EOFException ? "unexpected end of file" : e.getClass().getSimpleName() + ": " + e.getMessage();
            if (why.contains("Unknown magic") || why.contains("07070X")) {
                why += "; rpm's stripped cpio for files of 4 GiB or more is not supported";
            }
            throw new IOException(rpm + ": corrupt or truncated RPM payload (" + why.replaceAll("\\s*\\R\\s*", " ") + ")", e);
        }
    }

    static Package readHeaders(Path rpm, InputStream in) throws IOException {
        byte[] lead = in.readNBytes(LEAD_SIZE);
        if (lead.length < LEAD_MAGIC.length || !java.util.Arrays.equals(lead, 0, 4, LEAD_MAGIC, 0, 4)) {
            throw new IOException(rpm + ": not an RPM (no lead magic ED AB EE DB)");
        }
        if (lead.length < LEAD_SIZE) throw new EOFException();
        long[] offset = {LEAD_SIZE};
        Header sig = header(rpm, in, "signature", offset);
        int pad = (int) ((8 - offset[0] % 8) % 8);
        in.skipNBytes(pad);
        offset[0] += pad;
        long headerOffset = offset[0];
        Header main = header(rpm, in, "main", offset);
        return new Package(sig, main, headerOffset, offset[0]);
    }

    private static Header header(Path rpm, InputStream raw, String which, long[] offset) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, HEADER_MAGIC)) {
            throw new IOException(rpm + ": corrupt RPM: no header magic 8E AD E8 01 at the " + which + " header (offset " + offset[0] + ")");
        }
        in.readInt(); // reserved
        int entries = in.readInt();
        int dataSize = in.readInt();
        if (entries < 1 || entries > MAX_ENTRIES || dataSize < 0 || dataSize > MAX_DATA) {
            throw new IOException(rpm + ": corrupt RPM: " + which + " header claims " + entries + " entries and "
                    + dataSize + " bytes of data");
        }
        int[][] index = new int[entries][4];
        for (int i = 0; i < entries; i++) {
            for (int j = 0; j < 4; j++) index[i][j] = in.readInt();
        }
        byte[] data = new byte[dataSize];
        in.readFully(data);
        offset[0] += 16 + 16L * entries + dataSize;
        Map<Integer, Object> tags = new HashMap<>();
        for (int[] e : index) {
            int tag = e[0], type = e[1], off = e[2], count = e[3];
            if (off < 0 || off > dataSize || count < 0) {
                throw new IOException(rpm + ": corrupt RPM: " + which + " header tag " + tag + " points outside its data");
            }
            Object value = value(rpm, which, tag, type, data, off, count);
            if (value != null) tags.put(tag, value);
        }
        return new Header(tags);
    }

    private static Object value(Path rpm, String which, int tag, int type, byte[] data, int off, int count) throws IOException {
        return switch (type) {
            case TYPE_STRING -> strings(rpm, which, tag, data, off, 1).getFirst();
            case TYPE_STRING_ARRAY, TYPE_I18NSTRING -> strings(rpm, which, tag, data, off, count);
            case TYPE_INT8, TYPE_INT16, TYPE_INT32, TYPE_INT64 -> {
                int width = switch (type) { case TYPE_INT8 -> 1; case TYPE_INT16 -> 2; case TYPE_INT32 -> 4; default -> 8; };
                if ((long) off + (long) width * count > data.length) throw outside(rpm, which, tag);
                long[] out = new long[count];
                for (int i = 0; i < count; i++) {
                    long v = 0;
                    for (int b = 0; b < width; b++) v = v << 8 | (data[off + i * width + b] & 0xff);
                    out[i] = v;
                }
                yield out;
            }
            case TYPE_BIN -> {
                if ((long) off + count > data.length) throw outside(rpm, which, tag);
                yield java.util.Arrays.copyOfRange(data, off, off + count);
            }
            default -> null; // NULL, CHAR and unknown types: nothing ringvm reads
        };
    }

    private static List<String> strings(Path rpm, String which, int tag, byte[] data, int off, int count) throws IOException {
        List<String> out = new ArrayList<>(count);
        int p = off;
        for (int i = 0; i < count; i++) {
            int end = p;
            while (end < data.length && data[end] != 0) end++;
            if (end >= data.length) throw outside(rpm, which, tag);
            out.add(new String(data, p, end - p, StandardCharsets.UTF_8));
            p = end + 1;
        }
        return out;
    }

    private static IOException outside(Path rpm, String which, int tag) {
        return new IOException(rpm + ": corrupt RPM: " + which + " header tag " + tag + " runs past the header's data");
    }

    /** The signature's size tag counts the main header and the payload: a shorter file is truncated. */
    private static void checkSize(Path rpm, Package p) throws IOException {
        Optional<Long> size = p.signature().number(SIGTAG_LONGSIZE).or(() -> p.signature().number(SIGTAG_SIZE));
        if (size.isEmpty()) return;
        long expected = p.headerOffset() + size.get();
        long actual = Files.size(rpm);
        if (actual < expected) {
            throw new IOException(rpm + ": truncated RPM (" + actual + " of " + expected + " bytes)");
        }
    }

    /**
     * The sha256 of the compressed payload against the header's payload digest, when the package has one in SHA-256
     * (rpm 4.14 and later write it): a corrupt payload is refused before anything is extracted.
     */
    static void verifyPayloadDigest(Path rpm, Package p) throws IOException {
        Optional<String> expected = p.header().string(TAG_PAYLOADDIGEST);
        long algo = p.header().number(TAG_PAYLOADDIGESTALGO).orElse((long) HASH_SHA256);
        if (expected.isEmpty() || algo != HASH_SHA256) return;
        MessageDigest md = Sha256.digest();
        try (InputStream in = Files.newInputStream(rpm)) {
            in.skipNBytes(p.payloadOffset());
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equalsIgnoreCase(expected.get())) {
            throw new IOException(rpm + ": corrupt RPM: payload sha256 " + actual + " differs from the header's " + expected.get());
        }
    }

    private static InputStream decompress(Path rpm, String compressor, InputStream in) throws IOException {
        InputStream unclosable = new FilterInputStream(in) {
            @Override public void close() { /* the file stream is closed by its owner */ }
        };
        return switch (compressor) {
            case "xz" -> XZCompressorInputStream.builder().setInputStream(unclosable).setDecompressConcatenated(true).get();
            case "zstd" -> new ZstdCompressorInputStream(unclosable);
            case "gzip" -> GzipCompressorInputStream.builder().setInputStream(unclosable).setDecompressConcatenated(true).get();
            case "bzip2" -> new BZip2CompressorInputStream(unclosable, true);
            case "lzma" -> new LZMACompressorInputStream(unclosable);
            case "identity" -> unclosable;
            default -> throw new IOException(rpm + ": unsupported RPM payload compressor \"" + compressor
                    + "\" (expected xz, zstd, gzip, bzip2 or lzma)");
        };
    }

    /** Writes the entry to a temp file next to {@code dest}, checks its length, then renames it into place. */
    private static void copyExactly(Path rpm, CpioArchiveEntry entry, InputStream in, Path dest) throws IOException {
        AtomicFiles.write(dest, out -> {
            long n = in.transferTo(out);
            if (n != entry.getSize()) {
                throw new IOException(rpm + ": corrupt or truncated RPM payload (" + entry.getName() + ": " + n + " of "
                        + entry.getSize() + " bytes)");
            }
        });
    }
}
