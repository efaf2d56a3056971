package dev.ringvm.probe.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LibCTest {

    private static byte[] auxv(long... pairs) {
        ByteBuffer b = ByteBuffer.allocate(pairs.length * 8).order(ByteOrder.nativeOrder());
        for (long v : pairs) b.putLong(v);
        return b.array();
    }

    @Test
    void pageSizeIsAtPageszOfTheAuxiliaryVector() {
        assertThat(LibC.pageSizeFromAuxv(auxv(33, 0x7ffd0000L, 16, 0xbfebfbffL, 6, 4096, 17, 100, 0, 0))).isEqualTo(4096);
        assertThat(LibC.pageSizeFromAuxv(auxv(6, 16384, 0, 0))).isEqualTo(16384);
        assertThat(LibC.pageSizeFromAuxv(auxv(17, 100, 0, 0, 6, 4096))).as("stops at AT_NULL").isNull();
        assertThat(LibC.pageSizeFromAuxv(new byte[7])).isNull();
        assertThat(LibC.getpagesize()).isEqualTo(4096); // x86-64 host
    }

    @Test
    void systemCallsThroughTheSharedHandleReturnValuesAndErrno() throws Exception {
        LibC.Ret m = LibC.mmap(0, 8192, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        assertThat(m.failed()).isFalse();
        assertThat(m.value() % 4096).isZero();
        assertThat(LibC.madvise(m.value(), 8192, 4 /* MADV_DONTNEED */)).isZero();
        assertThat(LibC.munmap(m.value(), 8192)).isZero();
        assertThat(LibC.munmap(m.value() + 1, 4096)).as("unaligned: EINVAL").isEqualTo(22);
        assertThat(LibC.close(-1)).as("EBADF").isEqualTo(9);
        LibC.Ret bad = LibC.mmap(0, 4096, LibC.PROT_READ, LibC.MAP_SHARED, 987654, 0);
        assertThat(bad.failed()).isTrue();
        assertThat(bad.errno()).isEqualTo(9);
        assertThat(LibC.getrlimit(LibC.RLIMIT_MEMLOCK)).as("soft and hard RLIMIT_MEMLOCK")
                .containsExactly(procSelfLimits("Max locked memory"));
    }

    /** Soft and hard limit of one row of /proc/self/limits (this process), "unlimited" as RLIM_INFINITY. */
    private static long[] procSelfLimits(String row) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (!line.startsWith(row + " ")) continue;
            String[] f = line.substring(row.length()).trim().split("\\s+");
            return new long[] {limit(f[0]), limit(f[1])};
        }
        throw new AssertionError("no \"" + row + "\" row in /proc/self/limits");
    }

    private static long limit(String field) {
        return field.equals("unlimited") ? LibC.RLIM_INFINITY : Long.parseLong(field);
    }
}
