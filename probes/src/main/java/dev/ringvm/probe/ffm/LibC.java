package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc downcalls: three handles in all, one {@code syscall} shape that every system call shares, plus
 * {@code posix_memalign} and {@code free} (the memalign backing is libc heap memory by definition). errno is
 * always captured by the linker ({@code captureCallState}), never read after the call.
 * Every wrapper returns plain Java values so that no {@code java.lang.foreign} type leaks out of this package.
 */
@SuppressWarnings("restricted") // downcall handles are what this class is for; the jar declares Enable-Native-Access
public final class LibC {
    private LibC() {}

    /** Return value of a call plus the errno captured right after it (meaningful only when the call failed). */
    public record Ret(long value, int errno) {
        public boolean failed() { return value == -1L; }
    }

    // mmap/madvise constants: asm-generic/mman-common.h, the same on x86-64 and aarch64
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_HUGETLB = 0x40000;
    /** log2 of the huge page size, shifted by this, selects a hugetlb page size (asm-generic/hugetlb_encode.h). */
    public static final int MAP_HUGE_SHIFT = 26;
    public static final int MAP_HUGE_2MB = 21 << MAP_HUGE_SHIFT;
    /** pipe2's flag: 02000000 in asm-generic/fcntl.h, which x86-64 and arm64 share for it. */
    public static final int O_CLOEXEC = 0x80000;
    public static final int MADV_HUGEPAGE = 14;
    /** Since 5.14; EINVAL before. */
    public static final int MADV_POPULATE_WRITE = 23;
    public static final int RLIMIT_MEMLOCK = 8;
    public static final long RLIM_INFINITY = -1L; // ~0UL

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    /** struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; } */
    private static final StructLayout RLIMIT = MemoryLayout.structLayout(
            JAVA_LONG.withName("rlim_cur"), JAVA_LONG.withName("rlim_max"));

    private static MemorySegment sym(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
    }

    /** The architecture this JVM runs on: its system call numbers ({@link Abi}); refused before any call if unknown. */
    static final Abi ABI = Abi.current();

    static final long __NR_close = ABI.nr(Abi.Syscall.CLOSE);
    static final long __NR_mmap = ABI.nr(Abi.Syscall.MMAP);
    static final long __NR_munmap = ABI.nr(Abi.Syscall.MUNMAP);
    static final long __NR_madvise = ABI.nr(Abi.Syscall.MADVISE);
    static final long __NR_getrlimit = ABI.nr(Abi.Syscall.GETRLIMIT);
    static final long __NR_read = ABI.nr(Abi.Syscall.READ);
    static final long __NR_write = ABI.nr(Abi.Syscall.WRITE);
    static final long __NR_ftruncate = ABI.nr(Abi.Syscall.FTRUNCATE);
    static final long __NR_pipe2 = ABI.nr(Abi.Syscall.PIPE2);
    static final long __NR_memfd_create = ABI.nr(Abi.Syscall.MEMFD_CREATE);
    static final long __NR_mprotect = ABI.nr(Abi.Syscall.MPROTECT);
    static final long __NR_io_uring_setup = ABI.nr(Abi.Syscall.IO_URING_SETUP);
    static final long __NR_io_uring_enter = ABI.nr(Abi.Syscall.IO_URING_ENTER);
    static final long __NR_io_uring_register = ABI.nr(Abi.Syscall.IO_URING_REGISTER);

    /**
     * long syscall(long number, ...) with six long arguments: every system call goes through this one handle.
     * A downcall handle costs a generated stub and a dozen lambda forms; the first one costs the linker's
     * start-up as well. One shared shape instead of one handle per libc function took the class initialisation
     * from 11 handles to 3 (measured on the host: 375 ms to about 250 ms; about ten times that under TCG).
     * glibc's syscall() reads every variadic argument as a long and returns -1 with errno set on failure.
     */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(sym("syscall"),
            FunctionDescriptor.of(JAVA_LONG,
                    JAVA_LONG,   // long number
                    JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), // ... six arguments
            Linker.Option.firstVariadicArg(1), ERRNO_OPT);

    /** int posix_memalign(void **memptr, size_t alignment, size_t size): returns the error, errno untouched. */
    private static final MethodHandle POSIX_MEMALIGN = LINKER.downcallHandle(sym("posix_memalign"),
            FunctionDescriptor.of(JAVA_INT,
                    ADDRESS,    // void **memptr
                    JAVA_LONG,  // size_t alignment
                    JAVA_LONG));// size_t size

    /** void free(void *ptr) */
    private static final MethodHandle FREE = LINKER.downcallHandle(sym("free"),
            FunctionDescriptor.ofVoid(
                    ADDRESS));  // void *ptr

    static MemorySegment errnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static AssertionError unexpected(Throwable t) {
        return new AssertionError("downcall failed", t);
    }

    /** syscall(nr, a..f) with errno captured into {@code state}. */
    static Ret syscall(MemorySegment state, long nr, long a, long b, long c, long d, long e, long f) {
        try {
            long r = (long) SYSCALL.invokeExact(state, nr, a, b, c, d, e, f);
            return new Ret(r, r == -1L ? errno(state) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static Ret syscall(long nr, long a, long b, long c, long d, long e, long f) {
        try (Arena arena = Arena.ofConfined()) {
            return syscall(errnoState(arena), nr, a, b, c, d, e, f);
        }
    }

    /** io_uring_setup(2); params must be a 120-byte io_uring_params segment. */
    static Ret ioUringSetup(MemorySegment state, int entries, MemorySegment params) {
        return syscall(state, __NR_io_uring_setup, Integer.toUnsignedLong(entries), params.address(),
                0, 0, 0, 0);
    }

    /** io_uring_enter(2) without a signal mask. */
    public static Ret ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
        return syscall(__NR_io_uring_enter, Integer.toUnsignedLong(fd), Integer.toUnsignedLong(toSubmit),
                Integer.toUnsignedLong(minComplete), Integer.toUnsignedLong(flags), 0L, 0L);
    }

    /** io_uring_enter(2) with an argument: a sigset, io_uring_getevents_arg, or a registered wait offset. */
    public static Ret ioUringEnter(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        return syscall(__NR_io_uring_enter, Integer.toUnsignedLong(fd), Integer.toUnsignedLong(toSubmit),
                Integer.toUnsignedLong(minComplete), Integer.toUnsignedLong(flags), arg, argSize);
    }

    /** io_uring_register(2). */
    public static Ret ioUringRegister(int fd, int opcode, long arg, int nrArgs) {
        return syscall(__NR_io_uring_register, Integer.toUnsignedLong(fd), Integer.toUnsignedLong(opcode),
                arg, Integer.toUnsignedLong(nrArgs), 0L, 0L);
    }

    /** mmap(2); value is the address, or -1 (MAP_FAILED) with errno. fd -1 stays -1 (the kernel reads an int). */
    public static Ret mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        return syscall(__NR_mmap, addr, length, Integer.toUnsignedLong(prot), Integer.toUnsignedLong(flags), fd, offset);
    }

    /** munmap(2); 0 or the errno. */
    public static int munmap(long addr, long length) {
        return syscall(__NR_munmap, addr, length, 0, 0, 0, 0).errno();
    }

    /** madvise(2); 0 or the errno. */
    public static int madvise(long addr, long length, int advice) {
        return syscall(__NR_madvise, addr, length, advice, 0, 0, 0).errno();
    }

    /** posix_memalign(3); value is the address, or -1 with the returned error number as errno. */
    public static Ret posixMemalign(long alignment, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memptr = arena.allocate(ADDRESS);
            int r = (int) POSIX_MEMALIGN.invokeExact(memptr, alignment, size);
            if (r != 0) {
                return new Ret(-1L, r);
            }
            return new Ret(memptr.get(ADDRESS, 0).address(), 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** free(3). */
    public static void free(long addr) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(addr));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** memfd_create(2) of an anonymous file named {@code ringvm} (flags 0); value is the fd. */
    public static Ret memfdCreate() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom("ringvm");
            return syscall(__NR_memfd_create, name.address(), 0, 0, 0, 0, 0);
        }
    }

    /** ftruncate(2); 0 or the errno. */
    public static int ftruncate(int fd, long length) {
        return syscall(__NR_ftruncate, fd, length, 0, 0, 0, 0).errno();
    }

    /** mprotect(2); 0 or the errno. */
    public static int mprotect(long addr, long length, int prot) {
        return syscall(__NR_mprotect, addr, length, prot, 0, 0, 0).errno();
    }

    /** pipe2(2) with O_CLOEXEC: {read fd, write fd}, or null with the errno in {@code errno[0]}. */
    public static int[] pipe(int[] errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(8, 4);
            Ret r = syscall(errnoState(arena), __NR_pipe2, fds.address(), O_CLOEXEC, 0, 0, 0, 0);
            if (r.failed()) {
                errno[0] = r.errno();
                return null;
            }
            return new int[] {fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
        }
    }

    /** write(2) of {@code len} bytes at {@code addr}; value is the count written. */
    public static Ret write(int fd, long addr, long len) {
        return syscall(__NR_write, fd, addr, len, 0, 0, 0);
    }

    /** close(2); 0 or the errno. */
    public static int close(int fd) {
        return syscall(__NR_close, fd, 0, 0, 0, 0, 0).errno();
    }

    /** getrlimit(2) as {soft, hard}, RLIM_INFINITY as -1; null when the call failed. */
    public static long[] getrlimit(int resource) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rl = arena.allocate(RLIMIT);
            Ret r = syscall(errnoState(arena), __NR_getrlimit, resource, rl.address(), 0, 0, 0, 0);
            if (r.failed()) {
                return null;
            }
            return new long[] {rl.get(JAVA_LONG, 0), rl.get(JAVA_LONG, 8)};
        }
    }

    /**
     * The page size: AT_PAGESZ from the auxiliary vector the kernel gave this process (/proc/self/auxv, pairs of
     * native longs), which is what getpagesize(2) returns, without a downcall handle of its own.
     */
    public static int getpagesize() {
        try {
            byte[] auxv;
            try (java.io.InputStream in = new java.io.FileInputStream("/proc/self/auxv")) {
                auxv = in.readNBytes(1 << 16); // a few hundred bytes, in large requests from offset 0
            }
            Integer ps = pageSizeFromAuxv(auxv);
            if (ps == null) {
                throw new IllegalStateException("/proc/self/auxv has no AT_PAGESZ");
            }
            return ps;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final long AT_NULL = 0;
    static final long AT_PAGESZ = 6;

    /** AT_PAGESZ's value in an auxiliary vector (little-endian 64-bit type/value pairs), null when absent. */
    static Integer pageSizeFromAuxv(byte[] auxv) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(auxv).order(java.nio.ByteOrder.nativeOrder());
        while (b.remaining() >= 16) {
            long type = b.getLong();
            long value = b.getLong();
            if (type == AT_PAGESZ) {
                return (int) value;
            }
            if (type == AT_NULL) {
                break;
            }
        }
        return null;
    }

    /** The MAP_HUGE_ flag that selects hugetlb pages of {@code hugePageSize} bytes (a power of two). */
    public static int mapHuge(long hugePageSize) {
        if (Long.bitCount(hugePageSize) != 1) throw new IllegalArgumentException("huge page size " + hugePageSize);
        return Long.numberOfTrailingZeros(hugePageSize) << MAP_HUGE_SHIFT;
    }

    /** The system call numbers of this JVM's architecture and the libc constants, keyed by C macro name. */
    public static java.util.Map<String, Long> constantFacts() {
        return constantFacts(ABI);
    }

    /**
     * The hand-written system call numbers of {@code abi} and the libc constants (the same on every architecture
     * the probe knows), keyed by C macro name, for an oracle compiled for that architecture.
     */
    public static java.util.Map<String, Long> constantFacts(Abi abi) {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<Abi.Syscall, Long> e : abi.numbers().entrySet()) {
            m.put(e.getKey().macro(), e.getValue());
        }
        m.put("PROT_READ", (long) PROT_READ);
        m.put("PROT_WRITE", (long) PROT_WRITE);
        m.put("MAP_SHARED", (long) MAP_SHARED);
        m.put("MAP_PRIVATE", (long) MAP_PRIVATE);
        m.put("MAP_FIXED", (long) MAP_FIXED);
        m.put("MAP_ANONYMOUS", (long) MAP_ANONYMOUS);
        m.put("MAP_POPULATE", (long) MAP_POPULATE);
        m.put("MAP_HUGETLB", (long) MAP_HUGETLB);
        m.put("MAP_HUGE_2MB", (long) MAP_HUGE_2MB);
        m.put("MADV_HUGEPAGE", (long) MADV_HUGEPAGE);
        m.put("MADV_POPULATE_WRITE", (long) MADV_POPULATE_WRITE);
        m.put("RLIMIT_MEMLOCK", (long) RLIMIT_MEMLOCK);
        m.put("AT_PAGESZ", AT_PAGESZ);
        return java.util.Collections.unmodifiableMap(m);
    }
}
