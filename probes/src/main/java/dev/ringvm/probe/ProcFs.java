package dev.ringvm.probe;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reading and parsing /proc and /sys. Parsers take text so they can be tested on samples; no regex. */
final class ProcFs {
    private ProcFs() {}

    /**
     * Whole file as text; null when it does not exist or cannot be read. Read in 8 KiB requests from offset 0:
     * integer sysctls (/proc/sys/kernel/tainted) answer only a read at offset 0 and report end of file for any
     * other offset, so a reader that starts with a one-byte read (Files.readAllBytes does, for a file whose size
     * is 0) gets "5" for a taint of 512.
     */
    public static String read(String path) {
        try (java.io.InputStream in = new FileInputStream(path)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) { // FileNotFoundException included: absent files are normal on old kernels
            return null;
        }
    }

    /** First line, trimmed; null when absent. */
    public static String firstLine(String path) {
        String s = read(path);
        if (s == null) {
            return null;
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    /** A single-number file (/proc/sys/...), null when absent or not a number. */
    public static Long number(String path) {
        String s = firstLine(path);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Milliseconds since boot from /proc/uptime; null when unreadable. */
    public static Long uptimeMillis() {
        return uptimeMillis(firstLine("/proc/uptime"));
    }

    /** Parses the first field of /proc/uptime ("12.34 56.78") into milliseconds; null when malformed. */
    static Long uptimeMillis(String uptime) {
        if (uptime == null) {
            return null;
        }
        int sp = uptime.indexOf(' ');
        try {
            return Math.round(Double.parseDouble(sp < 0 ? uptime : uptime.substring(0, sp)) * 1000);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * When this process started, in milliseconds since boot: field 22 (starttime, in USER_HZ ticks, 100 per
     * second on x86-64) of /proc/self/stat. Null when unreadable.
     */
    public static Long processStartMillis() {
        return processStartMillis(firstLine("/proc/self/stat"));
    }

    /** Parses /proc/PID/stat; fields are counted after the ")" that ends comm (comm may hold spaces). */
    static Long processStartMillis(String stat) {
        if (stat == null) {
            return null;
        }
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 1).trim().split(" ");
        // after comm: field 3 (state) is f[0], so field 22 (starttime) is f[19]
        if (f.length < 20) {
            return null;
        }
        try {
            return Long.parseLong(f[19]) * 10;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The numeric value of a {@code Key:   value [kB]} line (meminfo, smaps field block); null when missing.
     * Matches the key at line starts only.
     */
    public static Long field(String text, String key) {
        return field(text, key, 0, text.length());
    }

    static Long field(String text, String key, int from, int to) {
        int i = from;
        while (i < to) {
            int eol = text.indexOf('\n', i);
            if (eol < 0 || eol > to) {
                eol = to;
            }
            if (text.startsWith(key, i) && i + key.length() < eol && text.charAt(i + key.length()) == ':') {
                return firstNumber(text, i + key.length() + 1, eol);
            }
            i = eol + 1;
        }
        return null;
    }

    private static Long firstNumber(String s, int from, int to) {
        int i = from;
        while (i < to && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        long v = 0;
        int start = i;
        while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return i == start ? null : v;
    }

    /** The bracketed choice of /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never"). */
    public static String selected(String text) {
        if (text == null) {
            return null;
        }
        int open = text.indexOf('[');
        int close = open < 0 ? -1 : text.indexOf(']', open);
        return close < 0 ? null : text.substring(open + 1, close);
    }

    /** What smaps says about the VMA holding an address. */
    public record Vma(long start, long end, long kernelPageKiB, long rssKiB, long anonHugeKiB) {
        /**
         * Effective page size: KernelPageSize, or {@code thpKiB} (the THP PMD size: 2048 on 4K pages, 32768 on 16K)
         * when every resident page is in a THP (smaps reports the base page size as KernelPageSize for THP).
         */
        public int effectivePageKiB(int thpKiB) {
            if (rssKiB > 0 && anonHugeKiB == rssKiB && kernelPageKiB < thpKiB) {
                return thpKiB;
            }
            return (int) kernelPageKiB;
        }
    }

    /** The smaps entry of the VMA containing {@code addr}; null when none does. */
    public static Vma smapsFind(String smaps, long addr) {
        try {
            return smapsFind(new java.io.ByteArrayInputStream(smaps.getBytes(StandardCharsets.ISO_8859_1)),
                    new long[] {addr})[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final byte[] KERNEL_PAGE_SIZE = "KernelPageSize:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RSS = "Rss:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ANON_HUGE_PAGES = "AnonHugePages:".getBytes(StandardCharsets.US_ASCII);

    /**
     * The smaps entries of the VMAs containing each address (null where none does), reading only as far as the
     * last of them: the kernel walks page tables while generating smaps, a whole JVM smaps costs milliseconds.
     * Parsed as bytes, line by line in one reused buffer, without a String per line: a JVM's smaps has thousands
     * of lines, and under TCG the probe's own parsing cost as much as the kernel's generating.
     */
    public static Vma[] smapsFind(InputStream in, long[] addrs) throws IOException {
        Vma[] found = new Vma[addrs.length];
        int pending = addrs.length;
        LineReader r = new LineReader(in);
        boolean wanted = false;
        long start = 0, end = 0, kps = 0, rss = 0, ahp = 0;
        while (pending > 0) {
            int n = r.next();
            boolean eof = n < 0;
            boolean header = !eof && n > 0 && isHexDigit(r.line[0]);
            if ((eof || header) && wanted) {
                Vma v = new Vma(start, end, kps, rss, ahp);
                for (int i = 0; i < addrs.length; i++) {
                    if (found[i] == null && Long.compareUnsigned(addrs[i], start) >= 0
                            && Long.compareUnsigned(addrs[i], end) < 0) {
                        found[i] = v;
                        pending--;
                    }
                }
                wanted = false;
            }
            if (eof) {
                break;
            }
            if (header) {
                int i = 0;
                start = 0;
                while (i < n && isHexDigit(r.line[i])) start = (start << 4) | hexValue(r.line[i++]);
                i++; // '-'
                end = 0;
                while (i < n && isHexDigit(r.line[i])) end = (end << 4) | hexValue(r.line[i++]);
                wanted = false;
                for (long a : addrs) {
                    wanted |= Long.compareUnsigned(a, start) >= 0 && Long.compareUnsigned(a, end) < 0;
                }
                kps = rss = ahp = 0;
            } else if (wanted) {
                if (startsWith(r.line, n, KERNEL_PAGE_SIZE)) {
                    kps = number(r.line, KERNEL_PAGE_SIZE.length, n);
                } else if (startsWith(r.line, n, RSS)) {
                    rss = number(r.line, RSS.length, n);
                } else if (startsWith(r.line, n, ANON_HUGE_PAGES)) {
                    ahp = number(r.line, ANON_HUGE_PAGES.length, n);
                }
            }
        }
        return found;
    }

    /** Lines of a stream into one growing buffer; {@link #next} returns the length, -1 at the end. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buf = new byte[16384];
        private int pos, lim;
        byte[] line = new byte[256];

        LineReader(InputStream in) {
            this.in = in;
        }

        int next() throws IOException {
            int n = 0;
            while (true) {
                if (pos == lim) {
                    lim = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (lim <= 0) {
                        lim = 0;
                        return n == 0 ? -1 : n;
                    }
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    return n;
                }
                if (n == line.length) {
                    line = java.util.Arrays.copyOf(line, n * 2);
                }
                line[n++] = b;
            }
        }
    }

    /** VMA header lines start with the lowercase hex start address; field lines with a capitalised name. */
    private static boolean isHexDigit(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    private static long hexValue(byte c) {
        return c <= '9' ? c - '0' : c - 'a' + 10;
    }

    private static boolean startsWith(byte[] line, int n, byte[] prefix) {
        if (n < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first decimal number in line[from, n); 0 when there is none. */
    private static long number(byte[] line, int from, int n) {
        int i = from;
        while (i < n && (line[i] < '0' || line[i] > '9')) i++;
        long v = 0;
        while (i < n && line[i] >= '0' && line[i] <= '9') v = v * 10 + (line[i++] - '0');
        return v;
    }

    /** {@link #smapsFind(InputStream, long[])} on /proc/self/smaps; null when unreadable. */
    public static Vma[] selfSmaps(long... addrs) {
        try (InputStream in = new FileInputStream("/proc/self/smaps")) {
            return smapsFind(in, addrs);
        } catch (IOException e) {
            return null;
        }
    }

    /** PFNs (bits 0-54; 0 when not present or hidden from non-root) of {@code pages} pages from {@code addr}. */
    public static long[] pagemapPfns(long addr, int pages, int pageSize) throws IOException {
        long[] pfns = new long[pages];
        ByteBuffer buf = ByteBuffer.allocate(pages * 8).order(ByteOrder.nativeOrder());
        try (FileChannel ch = FileChannel.open(Path.of("/proc/self/pagemap"), StandardOpenOption.READ)) {
            long pos = Long.divideUnsigned(addr, pageSize) * 8;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r <= 0) {
                    break;
                }
            }
        }
        buf.flip();
        for (int i = 0; i < pages && buf.remaining() >= 8; i++) {
            long e = buf.getLong();
            boolean present = e < 0; // bit 63
            pfns[i] = present ? e & ((1L << 55) - 1) : 0;
        }
        return pfns;
    }

    /**
     * Index of the first page whose PFN is not the previous + 1; -1 when physically contiguous; null when any
     * PFN is 0 (unknown: not present or not readable).
     */
    public static Integer firstGap(long[] pfns) {
        for (long p : pfns) {
            if (p == 0) {
                return null;
            }
        }
        for (int i = 1; i < pfns.length; i++) {
            if (pfns[i] != pfns[i - 1] + 1) {
                return i;
            }
        }
        return -1;
    }
}
