package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct io_uring_params} (120 bytes, must match linux/io_uring.h), in jextract's shape. */
final class io_uring_params {
    private io_uring_params() {}

    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"),     // __u32 sq_entries
            JAVA_INT.withName("cq_entries"),     // __u32 cq_entries
            JAVA_INT.withName("flags"),          // __u32 flags
            JAVA_INT.withName("sq_thread_cpu"),  // __u32 sq_thread_cpu
            JAVA_INT.withName("sq_thread_idle"), // __u32 sq_thread_idle
            JAVA_INT.withName("features"),       // __u32 features
            JAVA_INT.withName("wq_fd"),          // __u32 wq_fd
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"), // __u32 resv[3]
            io_sqring_offsets.layout().withName("sq_off"),  // struct io_sqring_offsets sq_off
            io_cqring_offsets.layout().withName("cq_off")   // struct io_cqring_offsets cq_off
    ).withName("io_uring_params");

    static final String[] FIELDS = {"sq_entries", "cq_entries", "flags", "sq_thread_cpu", "sq_thread_idle",
            "features", "wq_fd", "resv", "sq_off", "cq_off"};

    public static StructLayout layout() { return LAYOUT; }
    public static long sizeof() { return LAYOUT.byteSize(); }
    public static long offsetOf(String dottedField) { return Layouts.offset(LAYOUT, dottedField); }

    public static final long sq_entries$offset = offsetOf("sq_entries");
    public static final long cq_entries$offset = offsetOf("cq_entries");
    public static final long flags$offset = offsetOf("flags");
    public static final long features$offset = offsetOf("features");
    public static final long sq_off$offset = offsetOf("sq_off");
    public static final long cq_off$offset = offsetOf("cq_off");

    public static int sq_entries(MemorySegment s) { return s.get(JAVA_INT, sq_entries$offset); }
    public static int cq_entries(MemorySegment s) { return s.get(JAVA_INT, cq_entries$offset); }
    public static void cq_entries(MemorySegment s, int v) { s.set(JAVA_INT, cq_entries$offset, v); }
    public static int flags(MemorySegment s) { return s.get(JAVA_INT, flags$offset); }
    public static void flags(MemorySegment s, int v) { s.set(JAVA_INT, flags$offset, v); }
    public static int features(MemorySegment s) { return s.get(JAVA_INT, features$offset); }
    public static MemorySegment sq_off(MemorySegment s) { return s.asSlice(sq_off$offset, io_sqring_offsets.sizeof()); }
    public static MemorySegment cq_off(MemorySegment s) { return s.asSlice(cq_off$offset, io_cqring_offsets.sizeof()); }
}
