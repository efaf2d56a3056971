package dev.ringvm.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFsTest {
    static final String MEMINFO = """
            MemTotal:        8131900 kB
            AnonHugePages:    342016 kB
            HugePages_Total:      16
            HugePages_Free:       12
            HugePages_Rsvd:        0
            Hugepagesize:       2048 kB
            Hugetlb:           32768 kB
            """;

    static final String SMAPS = """
            7f0000000000-7f0000400000 rw-p 00000000 00:00 0
            Size:               4096 kB
            KernelPageSize:        4 kB
            MMUPageSize:           4 kB
            Rss:                4096 kB
            AnonHugePages:      4096 kB
            VmFlags: rd wr mr mw me ac sd hg
            7f0000400000-7f0000402000 rw-p 00000000 00:00 0
            Size:                  8 kB
            KernelPageSize:        4 kB
            Rss:                   8 kB
            AnonHugePages:         0 kB
            VmFlags: rd wr mr mw me ac sd
            7f0000600000-7f0000800000 rw-p 00000000 00:10 12345                      /anon_hugepage (deleted)
            Size:               2048 kB
            KernelPageSize:     2048 kB
            Rss:                   0 kB
            VmFlags: rd wr mr mw me de ht sd
            """;

    @Test
    void meminfoFields() {
        assertThat(ProcFs.field(MEMINFO, "Hugepagesize")).isEqualTo(2048);
        assertThat(ProcFs.field(MEMINFO, "HugePages_Total")).isEqualTo(16);
        assertThat(ProcFs.field(MEMINFO, "HugePages_Free")).isEqualTo(12);
        assertThat(ProcFs.field(MEMINFO, "HugePages")).isNull(); // prefix of other keys, not a key
        assertThat(ProcFs.field(MEMINFO, "Nope")).isNull();
    }

    @Test
    void thpSelectedValue() {
        assertThat(ProcFs.selected("always [madvise] never\n")).isEqualTo("madvise");
        assertThat(ProcFs.selected("[always] madvise never")).isEqualTo("always");
        assertThat(ProcFs.selected(null)).isNull();
        assertThat(ProcFs.selected("garbage")).isNull();
    }

    @Test
    void smapsFindsTheContainingVma() {
        ProcFs.Vma thp = ProcFs.smapsFind(SMAPS, 0x7f0000001000L);
        assertThat(thp.start()).isEqualTo(0x7f0000000000L);
        assertThat(thp.kernelPageKiB()).isEqualTo(4);
        assertThat(thp.effectivePageKiB(2048)).isEqualTo(2048); // all resident memory in THPs
        ProcFs.Vma small = ProcFs.smapsFind(SMAPS, 0x7f0000401fffL);
        assertThat(small.effectivePageKiB(2048)).isEqualTo(4);
        ProcFs.Vma huge = ProcFs.smapsFind(SMAPS, 0x7f0000600000L);
        assertThat(huge.kernelPageKiB()).isEqualTo(2048);
        assertThat(huge.effectivePageKiB(2048)).isEqualTo(2048);
        assertThat(ProcFs.smapsFind(SMAPS, 0x7f0000402000L)).isNull(); // end is exclusive
        assertThat(ProcFs.smapsFind(SMAPS, 0x1000L)).isNull();
    }

    @Test
    void pagemapContiguity() {
        assertThat(ProcFs.firstGap(new long[] {100, 101, 102, 103})).isEqualTo(-1);
        assertThat(ProcFs.firstGap(new long[] {100})).isEqualTo(-1);
        assertThat(ProcFs.firstGap(new long[] {100, 101, 500, 501})).isEqualTo(2);
        assertThat(ProcFs.firstGap(new long[] {100, 99})).isEqualTo(1);
        assertThat(ProcFs.firstGap(new long[] {100, 0, 102})).isNull(); // not present / not root
        assertThat(ProcFs.firstGap(new long[] {0})).isNull();
    }

    @Test
    void uptimeIsTheFirstFieldInMillis() {
        assertThat(ProcFs.uptimeMillis("2.57 4.10")).isEqualTo(2570L);
        assertThat(ProcFs.uptimeMillis("12345.678 1.00")).isEqualTo(12345678L);
        assertThat(ProcFs.uptimeMillis("garbage")).isNull();
        assertThat(ProcFs.uptimeMillis(null)).isNull();
    }

    @Test
    void processStartIsField22InTicksEvenWhenCommHasSpacesAndParens() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime
        // cstime priority nice threads itrealvalue starttime ...
        String stat = "812 (java (x) y) S 1 812 812 0 -1 4194560 1200 0 0 0 7 3 0 0 20 0 9 0 248 123456 789";
        assertThat(ProcFs.processStartMillis(stat)).isEqualTo(2480L);
        assertThat(ProcFs.processStartMillis("812 (java) S 1 2 3")).isNull();
        assertThat(ProcFs.processStartMillis(null)).isNull();
        Long self = ProcFs.processStartMillis();
        assertThat(self).isNotNull().isPositive().isLessThanOrEqualTo(ProcFs.uptimeMillis());
    }

    /** Hands out one byte per read: every line and number crosses a buffer boundary somewhere. */
    private static java.io.InputStream trickle(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return new java.io.InputStream() {
            int i;
            @Override public int read() { return i < b.length ? b[i++] & 0xff : -1; }
            @Override public int read(byte[] dst, int off, int len) {
                if (i >= b.length) return -1;
                dst[off] = b[i++];
                return 1;
            }
        };
    }

    @Test
    void smapsFindsSeveralAddressesAcrossReadBoundariesAndAtTheEndOfTheFile() throws Exception {
        String noFinalNewline = SMAPS.strip();
        ProcFs.Vma[] v = ProcFs.smapsFind(trickle(noFinalNewline), new long[] {0x7f0000600000L, 0x7f0000001000L, 0x10L});
        assertThat(v[0].kernelPageKiB()).isEqualTo(2048); // last VMA, no newline after its last field
        assertThat(v[1].effectivePageKiB(2048)).isEqualTo(2048);
        assertThat(v[2]).isNull();
        // this JVM's real smaps: a fresh populated mapping is found with its size and resident pages
        dev.ringvm.probe.ffm.LibC.Ret m = dev.ringvm.probe.ffm.LibC.mmap(0, 3 * 4096,
                dev.ringvm.probe.ffm.LibC.PROT_READ | dev.ringvm.probe.ffm.LibC.PROT_WRITE,
                dev.ringvm.probe.ffm.LibC.MAP_PRIVATE | dev.ringvm.probe.ffm.LibC.MAP_ANONYMOUS
                        | dev.ringvm.probe.ffm.LibC.MAP_POPULATE, -1, 0);
        try {
            ProcFs.Vma[] self = ProcFs.selfSmaps(m.value() + 4096, 0x10L);
            assertThat(self[0].start()).isLessThanOrEqualTo(m.value());
            assertThat(self[0].end()).isGreaterThanOrEqualTo(m.value() + 3 * 4096);
            assertThat(self[0].kernelPageKiB()).isEqualTo(4);
            assertThat(self[0].rssKiB()).isGreaterThanOrEqualTo(12);
            assertThat(self[1]).isNull();
        } finally {
            dev.ringvm.probe.ffm.LibC.munmap(m.value(), 3 * 4096);
        }
    }

    @Test
    void integerSysctlsAreReadWhole() throws Exception {
        // /proc/sys/kernel/pid_max has several digits on every kernel (32768 at least); a reader that starts with a
        // one-byte read gets only its first digit, since integer sysctls answer only at offset 0
        String viaShell = new String(new ProcessBuilder("cat", "/proc/sys/kernel/pid_max").start().getInputStream()
                .readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).strip();
        assertThat(viaShell.length()).isGreaterThan(1);
        assertThat(ProcFs.number("/proc/sys/kernel/pid_max")).isEqualTo(Long.parseLong(viaShell));
        assertThat(ProcFs.read("/proc/no/such/file")).isNull();
    }
}
