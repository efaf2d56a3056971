package dev.ringvm.probe.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/** Byte-level access to memory the probe allocated itself, by raw address. */
public final class RawMemory {
    private RawMemory() {}

    @SuppressWarnings("restricted") // giving a raw address a size is the point: the probe allocated that memory itself
    static MemorySegment at(long addr, long len) {
        return MemorySegment.ofAddress(addr).reinterpret(len);
    }

    /** Sets {@code len} bytes at {@code addr} to {@code value}. */
    public static void fill(long addr, long len, byte value) {
        if (len > 0) {
            at(addr, len).fill(value);
        }
    }

    /** Writes {@code value} to the first byte of every {@code stride}-sized block: faults pages in cheaply. */
    public static void touch(long addr, long len, long stride, byte value) {
        MemorySegment s = at(addr, len);
        for (long off = 0; off < len; off += stride) {
            s.set(JAVA_BYTE, off, value);
        }
    }

    /** Index of the first byte that differs from {@code value}, or -1 when all {@code len} bytes equal it. */
    public static long firstMismatch(long addr, long len, byte value) {
        if (len <= 0) {
            return -1;
        }
        MemorySegment s = at(addr, len);
        for (long i = 0; i < len; i++) {
            if (s.get(JAVA_BYTE, i) != value) {
                return i;
            }
        }
        return -1;
    }
}
