package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct io_cqring_offsets} (40 bytes, must match linux/io_uring.h), in jextract's shape. */
final class io_cqring_offsets {
    private io_cqring_offsets() {}

    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),         // __u32 head
            JAVA_INT.withName("tail"),         // __u32 tail
            JAVA_INT.withName("ring_mask"),    // __u32 ring_mask
            JAVA_INT.withName("ring_entries"), // __u32 ring_entries
            JAVA_INT.withName("overflow"),     // __u32 overflow
            JAVA_INT.withName("cqes"),         // __u32 cqes
            JAVA_INT.withName("flags"),        // __u32 flags
            JAVA_INT.withName("resv1"),        // __u32 resv1
            JAVA_LONG.withName("user_addr")    // __u64 user_addr (NO_MMAP: address of the rings region)
    ).withName("io_cqring_offsets");

    static final String[] FIELDS = {"head", "tail", "ring_mask", "ring_entries", "overflow", "cqes", "flags", "resv1", "user_addr"};

    public static StructLayout layout() { return LAYOUT; }
    public static long sizeof() { return LAYOUT.byteSize(); }
    public static long offsetOf(String field) { return Layouts.offset(LAYOUT, field); }

    public static final long head$offset = offsetOf("head");
    public static final long tail$offset = offsetOf("tail");
    public static final long ring_mask$offset = offsetOf("ring_mask");
    public static final long ring_entries$offset = offsetOf("ring_entries");
    public static final long overflow$offset = offsetOf("overflow");
    public static final long cqes$offset = offsetOf("cqes");
    public static final long flags$offset = offsetOf("flags");
    public static final long user_addr$offset = offsetOf("user_addr");

    public static int head(MemorySegment s) { return s.get(JAVA_INT, head$offset); }
    public static int tail(MemorySegment s) { return s.get(JAVA_INT, tail$offset); }
    public static int ring_mask(MemorySegment s) { return s.get(JAVA_INT, ring_mask$offset); }
    public static int ring_entries(MemorySegment s) { return s.get(JAVA_INT, ring_entries$offset); }
    public static int overflow(MemorySegment s) { return s.get(JAVA_INT, overflow$offset); }
    public static int cqes(MemorySegment s) { return s.get(JAVA_INT, cqes$offset); }
    public static int flags(MemorySegment s) { return s.get(JAVA_INT, flags$offset); }
    public static long user_addr(MemorySegment s) { return s.get(JAVA_LONG, user_addr$offset); }
    public static void user_addr(MemorySegment s, long v) { s.set(JAVA_LONG, user_addr$offset, v); }
}
