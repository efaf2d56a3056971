package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct io_uring_sqe} (64 bytes, must match linux/io_uring.h). The C struct is full of anonymous
 * unions; each is modelled by its first member, which is also the name C code uses in {@code offsetof}.
 */
final class io_uring_sqe {
    private io_uring_sqe() {}

    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"),        // __u8 opcode
            JAVA_BYTE.withName("flags"),         // __u8 flags
            JAVA_SHORT.withName("ioprio"),       // __u16 ioprio
            JAVA_INT.withName("fd"),             // __s32 fd
            JAVA_LONG.withName("off"),           // union { __u64 off; __u64 addr2; ... }
            JAVA_LONG.withName("addr"),          // union { __u64 addr; __u64 splice_off_in; ... }
            JAVA_INT.withName("len"),            // __u32 len
            JAVA_INT.withName("rw_flags"),       // union { __kernel_rwf_t rw_flags; __u32 fsync_flags; ... }
            JAVA_LONG.withName("user_data"),     // __u64 user_data
            JAVA_SHORT.withName("buf_index"),    // union { __u16 buf_index; __u16 buf_group; } __attribute__((packed))
            JAVA_SHORT.withName("personality"),  // __u16 personality
            JAVA_INT.withName("splice_fd_in"),   // union { __s32 splice_fd_in; __u32 file_index; ... }
            JAVA_LONG.withName("addr3"),         // union { struct { __u64 addr3; __u64 __pad2[1]; }; __u8 cmd[0]; }
            JAVA_LONG.withName("__pad2")         // __u64 __pad2[1]
    ).withName("io_uring_sqe");

    static final String[] FIELDS = {"opcode", "flags", "ioprio", "fd", "off", "addr", "len", "rw_flags",
            "user_data", "buf_index", "personality", "splice_fd_in", "addr3", "__pad2"};

    public static StructLayout layout() { return LAYOUT; }
    public static long sizeof() { return LAYOUT.byteSize(); }
    public static long offsetOf(String field) { return Layouts.offset(LAYOUT, field); }

    public static final long opcode$offset = offsetOf("opcode");
    public static final long fd$offset = offsetOf("fd");
    public static final long user_data$offset = offsetOf("user_data");

    public static void opcode(MemorySegment s, byte v) { s.set(JAVA_BYTE, opcode$offset, v); }
    public static void fd(MemorySegment s, int v) { s.set(JAVA_INT, fd$offset, v); }
    public static void user_data(MemorySegment s, long v) { s.set(JAVA_LONG, user_data$offset, v); }
}
