package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct io_uring_cqe} (16 bytes without CQE32's big_cqe[], must match linux/io_uring.h). */
final class io_uring_cqe {
    private io_uring_cqe() {}

    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"), // __u64 user_data
            JAVA_INT.withName("res"),        // __s32 res
            JAVA_INT.withName("flags")       // __u32 flags
    ).withName("io_uring_cqe");

    static final String[] FIELDS = {"user_data", "res", "flags"};

    public static StructLayout layout() { return LAYOUT; }
    public static long sizeof() { return LAYOUT.byteSize(); }
    public static long offsetOf(String field) { return Layouts.offset(LAYOUT, field); }

    public static final long user_data$offset = offsetOf("user_data");
    public static final long res$offset = offsetOf("res");
    public static final long flags$offset = offsetOf("flags");

    public static long user_data(MemorySegment s) { return s.get(JAVA_LONG, user_data$offset); }
    public static int res(MemorySegment s) { return s.get(JAVA_INT, res$offset); }
    public static int flags(MemorySegment s) { return s.get(JAVA_INT, flags$offset); }
}
