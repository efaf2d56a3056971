package dev.ringvm.probe.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AbiTest {
    @Test
    void theArchitectureComesFromOsArch() {
        assertThat(Abi.of("amd64")).isEqualTo(Abi.X86_64);
        assertThat(Abi.of("x86_64")).isEqualTo(Abi.X86_64);
        assertThat(Abi.of("aarch64")).isEqualTo(Abi.AARCH64);
        assertThat(Abi.of("arm64")).isEqualTo(Abi.AARCH64);
        assertThat(Abi.current()).isEqualTo(Abi.X86_64); // the build host
        assertThat(LibC.ABI).isEqualTo(Abi.X86_64);
        assertThatThrownBy(() -> Abi.of("riscv64")).isInstanceOf(IllegalStateException.class)
                .hasMessage("ring-init-probe does not know the system call numbers of os.arch \"riscv64\": it runs on"
                        + " x86_64 (amd64) and aarch64 (arm64)");
        assertThatThrownBy(() -> Abi.of(null)).hasMessageContaining("os.arch (unset)");
    }

    @Test
    void everySystemCallTheProbeMakesHasANumberOnEveryArchitecture() {
        for (Abi abi : Abi.values()) {
            assertThat(abi.numbers().keySet()).as(abi.machine()).containsExactlyInAnyOrder(Abi.Syscall.values());
            assertThat(new HashSet<>(abi.numbers().values())).as(abi + ": numbers are distinct")
                    .hasSize(Abi.Syscall.values().length);
        }
        // the calls the spike found failing with x86-64 numbers on arm64 (madvise 28 is arm64's fcntl: EBADF)
        assertThat(Abi.X86_64.nr(Abi.Syscall.MADVISE)).isEqualTo(28);
        assertThat(Abi.AARCH64.nr(Abi.Syscall.MADVISE)).isEqualTo(233);
        assertThat(Abi.X86_64.nr(Abi.Syscall.MMAP)).isEqualTo(9);
        assertThat(Abi.AARCH64.nr(Abi.Syscall.MMAP)).isEqualTo(222);
        for (Abi.Syscall s : new Abi.Syscall[] {Abi.Syscall.IO_URING_SETUP, Abi.Syscall.IO_URING_ENTER,
                Abi.Syscall.IO_URING_REGISTER}) {
            assertThat(Abi.AARCH64.nr(s)).as(s.macro()).isEqualTo(Abi.X86_64.nr(s));
        }
        assertThat(Abi.X86_64.nr(Abi.Syscall.IO_URING_SETUP)).isEqualTo(IoUringH.__NR_io_uring_setup);
        assertThat(Abi.Syscall.MEMFD_CREATE.macro()).isEqualTo("__NR_memfd_create");
        assertThat(LibC.constantFacts(Abi.AARCH64)).containsEntry("__NR_pipe2", 59L).containsEntry("MAP_HUGETLB", 0x40000L);
        assertThat(LibC.constantFacts()).isEqualTo(LibC.constantFacts(Abi.X86_64));
    }

    @Test
    void theX8664TableIsTheHostsUnistd64() throws IOException {
        // linux-libc-dev, installed with libc6-dev on every build host
        Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
        assertThat(defines(header)).containsAllEntriesOf(macros(Abi.X86_64));
    }

    @Test
    void theAarch64TableIsAsmGenericUnistd() throws IOException {
        // linux-libc-dev-arm64-cross (with libc6-dev-arm64-cross): arm64's asm/unistd.h is asm-generic/unistd.h
        Path header = Path.of("/usr/aarch64-linux-gnu/include/asm-generic/unistd.h");
        boolean present = Files.isReadable(header);
        if (!present && System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
            throw new AssertionError(header + " is missing: install libc6-dev-arm64-cross");
        }
        assumeTrue(present, header + " is missing (libc6-dev-arm64-cross)");
        Map<String, Long> d = defines(header);
        // mmap and ftruncate are the 64-bit __NR3264_ entries on a 64-bit architecture
        d.put("__NR_mmap", d.get("__NR3264_mmap"));
        d.put("__NR_ftruncate", d.get("__NR3264_ftruncate"));
        assertThat(d).containsAllEntriesOf(macros(Abi.AARCH64));
    }

    private static Map<String, Long> macros(Abi abi) {
        Map<String, Long> m = new HashMap<>();
        abi.numbers().forEach((s, n) -> m.put(s.macro(), n));
        return m;
    }

    /** Every {@code #define NAME number} of a header. */
    private static Map<String, Long> defines(Path header) throws IOException {
        Map<String, Long> m = new HashMap<>();
        Matcher d = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+(\\d+)\\s*$").matcher(Files.readString(header));
        while (d.find()) m.put(d.group(1), Long.parseLong(d.group(2)));
        return m;
    }
}
