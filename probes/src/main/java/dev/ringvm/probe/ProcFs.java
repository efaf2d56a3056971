package dev.ringvm.probe;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reading and parsing /proc and /sys. Parsers take text so they can be tested on samples; no regex. */
public final class ProcFs {
    private ProcFs() {}

    /** Whole file as text; null when it does not exist or cannot be read. */
    public static String read(String path) {
        try {
            return new String(Files.readAllBytes(Path.of(path)), StandardCharsets.ISO_8859_1);
        } catch (IOException e) { // NoSuchFileException included: absent files are normal on old kernels
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
        /** Effective page size: KernelPageSize, or 2048 when every resident page is in a THP. */
        public int effectivePageKiB() {
            if (rssKiB > 0 && anonHugeKiB == rssKiB && kernelPageKiB < 2048) {
                return 2048;
            }
            return (int) kernelPageKiB;
        }
    }

    /** The smaps entry of the VMA containing {@code addr}; null when none does. */
    public static Vma smapsFind(String smaps, long addr) {
        try {
            return smapsFind(new BufferedReader(new StringReader(smaps)), new long[] {addr})[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The smaps entries of the VMAs containing each address (null where none does), reading only as far as the
     * last of them: the kernel walks page tables while generating smaps, a whole JVM smaps costs milliseconds.
     */
    public static Vma[] smapsFind(BufferedReader in, long[] addrs) throws IOException {
        Vma[] found = new Vma[addrs.length];
        int pending = addrs.length;
        String line = in.readLine();
        while (line != null && pending > 0) {
            if (!isHeader(line, 0)) {
                line = in.readLine();
                continue;
            }
            int dash = line.indexOf('-');
            int sp = line.indexOf(' ', dash);
            long start = Long.parseUnsignedLong(line, 0, dash, 16);
            long end = Long.parseUnsignedLong(line, dash + 1, sp, 16);
            boolean wanted = false;
            for (long a : addrs) {
                wanted |= Long.compareUnsigned(a, start) >= 0 && Long.compareUnsigned(a, end) < 0;
            }
            long kps = 0, rss = 0, ahp = 0;
            while ((line = in.readLine()) != null && !isHeader(line, 0)) {
                if (wanted) {
                    if (line.startsWith("KernelPageSize:")) {
                        kps = orZero(firstNumber(line, 15, line.length()));
                    } else if (line.startsWith("Rss:")) {
                        rss = orZero(firstNumber(line, 4, line.length()));
                    } else if (line.startsWith("AnonHugePages:")) {
                        ahp = orZero(firstNumber(line, 14, line.length()));
                    }
                }
            }
            if (wanted) {
                Vma v = new Vma(start, end, kps, rss, ahp);
                for (int i = 0; i < addrs.length; i++) {
                    if (found[i] == null && Long.compareUnsigned(addrs[i], start) >= 0
                            && Long.compareUnsigned(addrs[i], end) < 0) {
                        found[i] = v;
                        pending--;
                    }
                }
            }
        }
        return found;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    /** VMA header lines start with the lowercase hex start address; field lines with a capitalised name. */
    private static boolean isHeader(String s, int i) {
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /** {@link #smapsFind(BufferedReader, long[])} on /proc/self/smaps; null when unreadable. */
    public static Vma[] selfSmaps(long... addrs) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new FileInputStream("/proc/self/smaps"), StandardCharsets.ISO_8859_1), 16384)) {
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
