package dev.ringvm.kernel;

import dev.ringvm.config.Arch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a kernel image file's own header says: its version (release = {@code uname -r}), the architecture it boots on
 * and its base page size. An x86 {@link BzImage} or an arm64 {@link Arm64Image}, told apart by their magic numbers.
 */
sealed interface KernelImage permits BzImage, Arm64Image {

    /** The first word of the version string, the same as {@code uname -r} in the guest. */
    String release();

    /** The whole version string. */
    String versionString();

    Arch arch();

    /** The base page size in KiB. */
    int pageKiB();

    /** How messages name the file's kind: {@code x86-64 bzImage}, {@code arm64 Image (16K pages)}. */
    String describe();

    /**
     * Reads {@code file}'s header, whichever kind it is; a file that is neither (or is a truncated or damaged one) is
     * a {@link KernelIntegrityException} naming it.
     */
    static KernelImage read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(BzImage.MAGIC_OFFSET + 4);
        }
        if (isZboot(head)) {
            int end = 0x18;
            while (end < 0x38 && head[end] != 0) end++;
            throw new KernelIntegrityException(file + ": an EFI zboot image (\"zimg\", " + new String(head, 0x18, end - 0x18,
                    java.nio.charset.StandardCharsets.US_ASCII) + " payload), as Fedora ships arm64 kernels; ringvm boots raw or"
                    + " gzip-compressed arm64 Images only");
        }
        if (Arm64Image.isGzip(head) || Arm64Image.hasMagic(head)) return Arm64Image.read(file);
        if (BzImage.hasMagic(head)) return BzImage.read(file);
        throw new KernelIntegrityException(file + ": not a kernel image (neither an x86 bzImage, HdrS at 0x202, nor an"
                + " arm64 Image, ARM\\x64 at 0x38, raw or gzip-compressed)");
    }

    /** An EFI zboot image (drivers/firmware/efi/libstub/zboot-header.S): "MZ", then "zimg", the compression at 0x18. */
    static boolean isZboot(byte[] head) {
        return head.length >= 0x38 && head[0] == 'M' && head[1] == 'Z' && head[4] == 'z' && head[5] == 'i' && head[6] == 'm'
                && head[7] == 'g';
    }
}
