package dev.ringvm.guest;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Initramfs compression; every one of these is built into the Debian cloud kernels (CONFIG_RD_*). */
enum Compression {
    /** Nothing to decompress at boot; largest file. */
    NONE(""),
    /** gzip level 6. */
    GZIP(".gz"),
    /** zstd level 3. */
    ZSTD(".zst"),
    /** xz with CRC32 checks (the kernel's xz decoder does not do CRC64). */
    XZ(".xz");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    public String fileName() {
        return "initramfs.cpio" + suffix;
    }

    OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.DEFAULT_COMPRESSION);
                }
            };
            case ZSTD -> new ZstdOutputStream(out, 3);
            case XZ -> new XZOutputStream(out, new LZMA2Options(6), org.tukaani.xz.XZ.CHECK_CRC32);
        };
    }
}
