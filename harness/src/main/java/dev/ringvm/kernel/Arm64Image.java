package dev.ringvm.kernel;

import dev.ringvm.config.Arch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An arm64 kernel {@code Image} (Documentation/arch/arm64/booting.rst), raw as Debian ships it or gzip-compressed
 * ({@code Image.gz}, Ubuntu's vmlinuz; QEMU's {@code -kernel} unpacks it itself). The 64-byte header: magic
 * {@code "ARM\x64"} at 0x38, {@code flags} (little-endian u64) at 0x18 with bit 0 the endianness (0: little) and
 * bits 1-2 the page size (1: 4K, 2: 16K, 3: 64K; 0: unspecified, only kernels before 3.17 write that). The header
 * holds no version, so the banner {@code "Linux version 6.12.57+deb13-arm64 (...) #1 SMP ..."} is searched for in
 * the (decompressed) image. An image with an EFI stub carries a PE/COFF header (offset at 0x3C) whose section table
 * says how long the file must be; a shorter one is truncated. Any of these failures is a
 * {@link KernelIntegrityException}.
 *
 * @param release       the banner's first word after "Linux version", the same as {@code uname -r} in the guest
 * @param versionString the banner after "Linux version ", up to its end of line
 * @param pageKiB       4, 16 or 64
 * @param gzip          whether the file is gzip-compressed
 */
record Arm64Image(String release, String versionString, int pageKiB, boolean gzip) implements KernelImage {

    static final int FLAGS_OFFSET = 0x18;
    static final int MAGIC_OFFSET = 0x38;
    static final int PE_OFFSET = 0x3C;
    static final int HEADER_BYTES = 64;
    static final byte[] MAGIC = {'A', 'R', 'M', 0x64};
    /** The banner's prefix; the kernel writes it with {@code linux_banner} (init/version-timestamp.c). */
    static final byte[] BANNER = "Linux version ".getBytes(StandardCharsets.US_ASCII);
    /** The most a gzip-compressed image may unpack to: a distribution's arm64 Image is about 40 MiB. */
    static final long MAX_UNCOMPRESSED = 256L << 20;
    private static final int MAX_VERSION = 512;

    @Override
    public Arch arch() {
        return Arch.ARM64;
    }

    @Override
    public String describe() {
        return "arm64 Image" + (gzip ? " (gzip)" : "") + " (" + pageKiB + "K pages)";
    }

    /** Whether {@code head} (the first bytes of a file) starts like a gzip stream. */
    static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** Whether {@code head} carries the arm64 Image magic at 0x38. */
    static boolean hasMagic(byte[] head) {
        if (head.length < MAGIC_OFFSET + MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[MAGIC_OFFSET + i] != MAGIC[i]) return false;
        }
        return true;
    }

    /** Reads {@code file}, raw or gzip-compressed; a file that is not a whole arm64 Image is an exception naming it. */
    public static Arm64Image read(Path file) throws IOException {
        byte[] first;
        try (InputStream in = Files.newInputStream(file)) {
            first = in.readNBytes(2);
        }
        boolean gzip = isGzip(first);
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gzip ? new BoundedInput(new GZIPInputStream(raw, 1 << 16), MAX_UNCOMPRESSED, file) : raw) {
            return read(file, in, gzip, gzip ? -1 : Files.size(file));
        } catch (EOFException | ZipException e) {
            throw new KernelIntegrityException(file + ": truncated or corrupt gzip-compressed arm64 Image (" + e.getMessage() + ")");
        }
    }

    private static Arm64Image read(Path file, InputStream in, boolean gzip, long fileSize) throws IOException {
        String what = gzip ? "gzip-compressed arm64 Image" : "arm64 Image";
        String aWhat = (gzip ? "a " : "an ") + what;
        byte[] head = in.readNBytes(4096);
        if (head.length < HEADER_BYTES) {
            throw new KernelIntegrityException(file + ": not " + aWhat + " (only " + head.length + " bytes)");
        }
        if (!hasMagic(head)) {
            throw new KernelIntegrityException(file + ": not " + aWhat + " (no ARM\\x64 magic at 0x38)");
        }
        long flags = le64(head, FLAGS_OFFSET);
        if ((flags & 1) != 0) {
            throw new KernelIntegrityException(file + ": big-endian arm64 Image; ringvm boots little-endian guests only");
        }
        int pageKiB = switch ((int) (flags >>> 1) & 3) {
            case 1 -> 4;
            case 2 -> 16;
            case 3 -> 64;
            default -> throw new KernelIntegrityException(file + ": arm64 Image header leaves the page size unspecified"
                    + " (flags 0x" + Long.toHexString(flags) + "; only kernels before 3.17 do)");
        };
        long declared = peDeclaredSize(head);
        long[] total = {head.length};
        String version = banner(head, in, total);
        long size = gzip ? total[0] : fileSize;
        if (declared > 0 && size < declared) {
            throw new KernelIntegrityException(file + ": truncated " + what + ": " + size + " bytes"
                    + (gzip ? " unpacked" : "") + ", its PE/COFF header declares " + declared);
        }
        if (version == null) {
            throw new KernelIntegrityException(file + ": " + what + " without a kernel version string (no \"Linux version\""
                    + " banner; truncated?)");
        }
        return new Arm64Image(version.split("\\s+", 2)[0], version, pageKiB, gzip);
    }

    /**
     * The first banner ("Linux version " then a digit, up to the end of line or NUL) in {@code head} followed by the
     * rest of {@code in}, read in chunks that overlap by a banner's length; the whole stream is read, so
     * {@code total[0]} ends as its length.
     */
    static String banner(byte[] head, InputStream in, long[] total) throws IOException {
        int keep = BANNER.length + MAX_VERSION;
        byte[] buf = new byte[(1 << 20) + keep];
        System.arraycopy(head, 0, buf, 0, head.length);
        int len = head.length;
        String found = null;
        boolean eof = false;
        while (true) {
            while (!eof && len < buf.length) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    eof = true;
                } else {
                    len += n;
                    total[0] += n;
                }
            }
            if (found == null) {
                // a banner starting in the last `keep` bytes is searched again in the next round (unless at the end)
                int limit = eof ? len : len - keep;
                found = find(buf, Math.max(limit, 0), len);
            }
            if (eof) return found;
            System.arraycopy(buf, len - keep, buf, 0, keep);
            len = keep;
        }
    }

    /** A banner starting before {@code startLimit} in {@code buf[0, len)}, or null. */
    private static String find(byte[] buf, int startLimit, int len) {
        outer:
        for (int i = 0; i < startLimit && i + BANNER.length < len; i++) {
            for (int j = 0; j < BANNER.length; j++) {
                if (buf[i + j] != BANNER[j]) continue outer;
            }
            int start = i + BANNER.length;
            if (!Character.isDigit(buf[start])) continue;
            int end = start;
            while (end < len && end < start + MAX_VERSION && buf[end] != 0 && buf[end] != '\n') end++;
            if (end < len && (buf[end] == 0 || buf[end] == '\n')) {
                return new String(buf, start, end - start, StandardCharsets.US_ASCII).strip();
            }
        }
        return null;
    }

    /**
     * The file length a PE/COFF header (EFI stub) declares: the end of its last section's raw data; 0 when there is
     * no PE header within {@code head}.
     */
    static long peDeclaredSize(byte[] head) {
        long pe = le32(head, PE_OFFSET);
        if (pe <= 0 || pe + 24 > head.length || head[(int) pe] != 'P' || head[(int) pe + 1] != 'E'
                || head[(int) pe + 2] != 0 || head[(int) pe + 3] != 0) {
            return 0;
        }
        int p = (int) pe;
        int sections = le16(head, p + 6);
        int optional = le16(head, p + 20);
        int table = p + 24 + optional;
        long end = 0;
        for (int s = 0; s < sections && table + 40 * (s + 1) <= head.length; s++) {
            int at = table + 40 * s;
            end = Math.max(end, le32(head, at + 20) + le32(head, at + 16));
        }
        return end;
    }

    static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    static long le64(byte[] b, int at) {
        return le32(b, at) | le32(b, at + 4) << 32;
    }

    /** Fails (as an integrity problem) past {@code max} bytes: a gzip bomb never fills the memory or the disk. */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private final long max;
        private final Path file;
        private long count;

        BoundedInput(InputStream in, long max, Path file) {
            super(in);
            this.max = max;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count(n);
            return n;
        }

        private void count(int n) throws KernelIntegrityException {
            count += n;
            if (count > max) {
                throw new KernelIntegrityException(file + ": gzip-compressed arm64 Image unpacks to more than " + (max >> 20)
                        + " MiB; refusing it");
            }
        }
    }
}
