package dev.ringvm.vm;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the last {@code capacity} bytes written (QEMU's own stdout/stderr), so memory stays bounded. */
final class TailBuffer extends OutputStream {
    private final byte[] ring;
    private long written;

    TailBuffer(int capacity) {
        ring = new byte[capacity];
    }

    @Override
    public synchronized void write(int b) {
        ring[(int) (written++ % ring.length)] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            ring[(int) (written++ % ring.length)] = b[off + i];
        }
    }

    /** What is kept, oldest first, decoded as UTF-8 (a cut multi-byte sequence becomes U+FFFD). */
    synchronized String text() {
        int n = (int) Math.min(written, ring.length);
        byte[] out = new byte[n];
        int start = (int) ((written - n) % ring.length);
        for (int i = 0; i < n; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
