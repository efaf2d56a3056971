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
 * libc downcalls. One handle per C function (variadic {@code syscall} gets one handle per argument shape);
 * errno is always captured by the linker ({@code captureCallState}), never read after the call.
 * Every wrapper returns plain Java values so that no {@code java.lang.foreign} type leaks out of this package.
 */
public final class LibC {
    private LibC() {}

    /** Return value of a call plus the errno captured right after it (meaningful only when the call failed). */
    public record Ret(long value, int errno) {
        public boolean failed() { return value == -1L; }
    }

    // mmap/madvise constants (x86-64, asm-generic/mman*.h)
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_HUGETLB = 0x40000;
    public static final int MAP_HUGE_2MB = 21 << 26; // MAP_HUGE_SHIFT = 26
    public static final int MADV_HUGEPAGE = 14;
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

    /** long syscall(long number, ...): io_uring_setup(u32 entries, struct io_uring_params *p). */
    private static final MethodHandle SYSCALL_SETUP = LINKER.downcallHandle(sym("syscall"),
            FunctionDescriptor.of(JAVA_LONG,
                    JAVA_LONG,   // long number
                    JAVA_LONG,   // ... u32 entries (glibc's syscall() reads every variadic argument as long)
                    ADDRESS),    // ... struct io_uring_params *p
            Linker.Option.firstVariadicArg(1), ERRNO_OPT);

    /** long syscall(long number, ...): io_uring_enter(unsigned fd, u32 to_submit, u32 min_complete, u32 flags, const void *arg, size_t argsz). */
    private static final MethodHandle SYSCALL_ENTER = LINKER.downcallHandle(sym("syscall"),
            FunctionDescriptor.of(JAVA_LONG,
                    JAVA_LONG,   // long number
                    JAVA_LONG,   // ... unsigned int fd
                    JAVA_LONG,   // ... u32 to_submit
                    JAVA_LONG,   // ... u32 min_complete
                    JAVA_LONG,   // ... u32 flags
                    ADDRESS,     // ... const void *arg (sigset_t * or NULL)
                    JAVA_LONG),  // ... size_t argsz
            Linker.Option.firstVariadicArg(1), ERRNO_OPT);

    /** void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset) */
    private static final MethodHandle MMAP = LINKER.downcallHandle(sym("mmap"),
            FunctionDescriptor.of(ADDRESS,
                    ADDRESS,    // void *addr
                    JAVA_LONG,  // size_t length
                    JAVA_INT,   // int prot
                    JAVA_INT,   // int flags
                    JAVA_INT,   // int fd
                    JAVA_LONG), // off_t offset
            ERRNO_OPT);

    /** int munmap(void *addr, size_t length) */
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(sym("munmap"),
            FunctionDescriptor.of(JAVA_INT,
                    ADDRESS,    // void *addr
                    JAVA_LONG), // size_t length
            ERRNO_OPT);

    /** int madvise(void *addr, size_t length, int advice) */
    private static final MethodHandle MADVISE = LINKER.downcallHandle(sym("madvise"),
            FunctionDescriptor.of(JAVA_INT,
                    ADDRESS,    // void *addr
                    JAVA_LONG,  // size_t length
                    JAVA_INT),  // int advice
            ERRNO_OPT);

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

    /** int close(int fd) */
    private static final MethodHandle CLOSE = LINKER.downcallHandle(sym("close"),
            FunctionDescriptor.of(JAVA_INT,
                    JAVA_INT),  // int fd
            ERRNO_OPT);

    /** int getrlimit(int resource, struct rlimit *rlim) */
    private static final MethodHandle GETRLIMIT = LINKER.downcallHandle(sym("getrlimit"),
            FunctionDescriptor.of(JAVA_INT,
                    JAVA_INT,   // int resource
                    ADDRESS),   // struct rlimit *rlim
            ERRNO_OPT);

    /** int getpagesize(void) */
    private static final MethodHandle GETPAGESIZE = LINKER.downcallHandle(sym("getpagesize"),
            FunctionDescriptor.of(JAVA_INT));

    static MemorySegment errnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static AssertionError unexpected(Throwable t) {
        return new AssertionError("downcall failed", t);
    }

    /** io_uring_setup(2); params must be a 120-byte io_uring_params segment. */
    static Ret ioUringSetup(MemorySegment state, int entries, MemorySegment params) {
        try {
            long r = (long) SYSCALL_SETUP.invokeExact(state, IoUringH.__NR_io_uring_setup,
                    Integer.toUnsignedLong(entries), params);
            return new Ret(r, r == -1L ? errno(state) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** io_uring_enter(2) without a signal mask. */
    public static Ret ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            long r = (long) SYSCALL_ENTER.invokeExact(state, IoUringH.__NR_io_uring_enter,
                    Integer.toUnsignedLong(fd), Integer.toUnsignedLong(toSubmit),
                    Integer.toUnsignedLong(minComplete), Integer.toUnsignedLong(flags), MemorySegment.NULL, 0L);
            return new Ret(r, r == -1L ? errno(state) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** mmap(2); value is the address, or -1 (MAP_FAILED) with errno. */
    public static Ret mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            MemorySegment r = (MemorySegment) MMAP.invokeExact(state, MemorySegment.ofAddress(addr), length,
                    prot, flags, fd, offset);
            long a = r.address();
            return new Ret(a, a == -1L ? errno(state) : 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** munmap(2); 0 or the errno. */
    public static int munmap(long addr, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            int r = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(addr), length);
            return r == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** madvise(2); 0 or the errno. */
    public static int madvise(long addr, long length, int advice) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            int r = (int) MADVISE.invokeExact(state, MemorySegment.ofAddress(addr), length, advice);
            return r == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
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

    /** close(2); 0 or the errno. */
    public static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            int r = (int) CLOSE.invokeExact(state, fd);
            return r == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** getrlimit(2) as {soft, hard}, RLIM_INFINITY as -1; null when the call failed. */
    public static long[] getrlimit(int resource) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            MemorySegment rl = arena.allocate(RLIMIT);
            int r = (int) GETRLIMIT.invokeExact(state, resource, rl);
            if (r != 0) {
                return null;
            }
            return new long[] {rl.get(JAVA_LONG, 0), rl.get(JAVA_LONG, 8)};
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** getpagesize(2). */
    public static int getpagesize() {
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
