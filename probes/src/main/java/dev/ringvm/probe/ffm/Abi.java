package dev.ringvm.probe.ffm;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Linux system call numbers of the architectures the probe runs on, chosen once from {@code os.arch}. Every
 * other constant the probe hands the kernel is the same on both (checked against the headers, see
 * {@link LibC}): the mmap, PROT_, MADV_ and MAP_HUGE_ values come from asm-generic/mman-common.h and
 * asm-generic/hugetlb_encode.h on both, RLIMIT_MEMLOCK from asm-generic/resource.h, O_CLOEXEC (pipe2's only flag)
 * is 02000000 on both (arm64's asm/fcntl.h overrides only O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE, which
 * the probe never uses), AT_PAGESZ is 6 in linux/auxvec.h, and the io_uring structs are fixed-width little-endian
 * on both. The probe uses no ioctl.
 */
public enum Abi {
    /**
     * x86-64: arch/x86/entry/syscalls/syscall_64.tbl, as installed in asm/unistd_64.h ({@code <sys/syscall.h>}
     * on an x86-64 host; the layout oracle test checks these against it).
     */
    X86_64("x86_64", Map.ofEntries(
            Map.entry(Syscall.READ, 0L),
            Map.entry(Syscall.WRITE, 1L),
            Map.entry(Syscall.CLOSE, 3L),
            Map.entry(Syscall.MMAP, 9L),
            Map.entry(Syscall.MPROTECT, 10L),
            Map.entry(Syscall.MUNMAP, 11L),
            Map.entry(Syscall.MADVISE, 28L),
            Map.entry(Syscall.FTRUNCATE, 77L),
            Map.entry(Syscall.GETRLIMIT, 97L),
            Map.entry(Syscall.PIPE2, 293L),
            Map.entry(Syscall.MEMFD_CREATE, 319L),
            Map.entry(Syscall.IO_URING_SETUP, 425L),
            Map.entry(Syscall.IO_URING_ENTER, 426L),
            Map.entry(Syscall.IO_URING_REGISTER, 427L))),
    /**
     * aarch64: include/uapi/asm-generic/unistd.h (arm64's asm/unistd.h includes it with
     * {@code __ARCH_WANT_SET_GET_RLIMIT}, so getrlimit exists; mmap and ftruncate are the 64-bit
     * {@code __NR3264_} entries, byte offsets). Checked against Debian's linux-libc-dev-arm64-cross 6.12 headers
     * (/usr/aarch64-linux-gnu/include/asm-generic/unistd.h).
     */
    AARCH64("aarch64", Map.ofEntries(
            Map.entry(Syscall.READ, 63L),
            Map.entry(Syscall.WRITE, 64L),
            Map.entry(Syscall.CLOSE, 57L),
            Map.entry(Syscall.MMAP, 222L),
            Map.entry(Syscall.MPROTECT, 226L),
            Map.entry(Syscall.MUNMAP, 215L),
            Map.entry(Syscall.MADVISE, 233L),
            Map.entry(Syscall.FTRUNCATE, 46L),
            Map.entry(Syscall.GETRLIMIT, 163L),
            Map.entry(Syscall.PIPE2, 59L),
            Map.entry(Syscall.MEMFD_CREATE, 279L),
            Map.entry(Syscall.IO_URING_SETUP, 425L),
            Map.entry(Syscall.IO_URING_ENTER, 426L),
            Map.entry(Syscall.IO_URING_REGISTER, 427L)));

    /** Every system call the probe makes. */
    public enum Syscall {
        READ, WRITE, CLOSE, MMAP, MPROTECT, MUNMAP, MADVISE, FTRUNCATE, GETRLIMIT, PIPE2, MEMFD_CREATE,
        IO_URING_SETUP, IO_URING_ENTER, IO_URING_REGISTER;

        /** The C macro that names its number: {@code __NR_memfd_create}. */
        public String macro() {
            return "__NR_" + name().toLowerCase(Locale.ROOT);
        }
    }

    private final String machine;
    private final Map<Syscall, Long> numbers;

    Abi(String machine, Map<Syscall, Long> numbers) {
        this.machine = machine;
        EnumMap<Syscall, Long> m = new EnumMap<>(Syscall.class);
        m.putAll(numbers);
        this.numbers = Collections.unmodifiableMap(m);
    }

    /** {@code uname -m} of the architecture. */
    public String machine() {
        return machine;
    }

    /** The number of {@code s}; every system call the probe makes has one on every architecture it knows. */
    public long nr(Syscall s) {
        Long n = numbers.get(s);
        if (n == null) throw new IllegalStateException(machine + " has no system call number for " + s.macro());
        return n;
    }

    /** The whole table, keyed by call. */
    public Map<Syscall, Long> numbers() {
        return numbers;
    }

    /**
     * The architecture a JVM's {@code os.arch} names ({@code amd64} or {@code x86_64}; {@code aarch64} or
     * {@code arm64}); IllegalStateException naming it for any other.
     */
    public static Abi of(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new IllegalStateException("ring-init-probe does not know the system call numbers of"
                    + " os.arch " + (osArch == null ? "(unset)" : "\"" + osArch + "\"")
                    + ": it runs on x86_64 (amd64) and aarch64 (arm64)");
        };
    }

    /** The architecture this JVM runs on ({@link #of} of {@code os.arch}). */
    public static Abi current() {
        return of(System.getProperty("os.arch"));
    }
}
