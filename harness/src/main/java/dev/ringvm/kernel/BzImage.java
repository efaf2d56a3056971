package dev.ringvm.kernel;

import dev.ringvm.config.Arch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel version string of an x86 bzImage, read from its setup header (Documentation/arch/x86/boot.rst):
 * "HdrS" at 0x202, the 16-bit {@code kernel_version} field at 0x20E pointing (minus 0x200) at a NUL-terminated
 * string such as {@code 6.12.57+deb13-cloud-amd64 (builder@example.org) #1 SMP ...}. A file shorter than the header
 * declares ({@code (setup_sects + 1) * 512 + syssize * 16}: the setup code, then the protected-mode kernel in
 * 16-byte paragraphs) is truncated; longer is normal (a signed image carries its signature after it). Any of these
 * failures is a {@link KernelIntegrityException}.
 *
 * @param release       the first word, the same as {@code uname -r} in the guest
 * @param versionString the whole string
 */
record BzImage(String release, String versionString) implements KernelImage {

    static final int MAGIC_OFFSET = 0x202;
    static final int VERSION_FIELD = 0x20E;
    static final int SETUP_SECTS = 0x1F1;
    static final int SYSSIZE = 0x1F4;
    private static final byte[] MAGIC = "HdrS".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_VERSION = 512;

    @Override
    public Arch arch() {
        return Arch.X86_64;
    }

    /** x86-64 has one base page size. */
    @Override
    public int pageKiB() {
        return 4;
    }

    @Override
    public String describe() {
        return "x86-64 bzImage";
    }

    /** Whether {@code head} (the first bytes of a file) has the HdrS magic at 0x202. */
    static boolean hasMagic(byte[] head) {
        if (head.length < MAGIC_OFFSET + MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[MAGIC_OFFSET + i] != MAGIC[i]) return false;
        }
        return true;
    }

    /** Reads the header of {@code file}; a file that is not a bzImage is an IOException naming it. */
    public static BzImage read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(0x10000 + 0x200 + MAX_VERSION);
        }
        if (head.length < VERSION_FIELD + 2) {
            throw new KernelIntegrityException(file + ": not a bzImage (only " + head.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[MAGIC_OFFSET + i] != MAGIC[i]) {
                throw new KernelIntegrityException(file + ": not a bzImage (no HdrS magic at 0x202)");
            }
        }
        long declared = declaredSize(head);
        long actual = Files.size(file);
        if (actual < declared) {
            throw new KernelIntegrityException(file + ": truncated bzImage: " + actual + " bytes, its header declares "
                    + declared);
        }
        int offset = (head[VERSION_FIELD] & 0xff) | (head[VERSION_FIELD + 1] & 0xff) << 8;
        if (offset == 0) {
            throw new KernelIntegrityException(file + ": bzImage without a kernel version string (kernel_version is 0)");
        }
        int start = offset + 0x200;
        if (start >= head.length) {
            throw new KernelIntegrityException(file + ": bzImage kernel_version offset 0x" + Integer.toHexString(offset) + " is past the end of the file");
        }
        int end = start;
        while (end < head.length && end < start + MAX_VERSION && head[end] != 0) end++;
        if (end >= head.length || head[end] != 0) {
            throw new KernelIntegrityException(file + ": bzImage kernel version string is not terminated");
        }
        String version = new String(head, start, end - start, StandardCharsets.US_ASCII).strip();
        if (version.isEmpty() || !Character.isDigit(version.charAt(0))) {
            throw new KernelIntegrityException(file + ": bzImage kernel version string looks wrong: \"" + version + "\"");
        }
        return new BzImage(version.split("\\s+", 2)[0], version);
    }

    /** The size the setup header declares: setup sectors (0 means 4) plus the boot sector, then syssize paragraphs. */
    static long declaredSize(byte[] head) {
        int setupSects = head[SETUP_SECTS] & 0xff;
        if (setupSects == 0) setupSects = 4;
        long syssize = (head[SYSSIZE] & 0xffL) | (head[SYSSIZE + 1] & 0xffL) << 8 | (head[SYSSIZE + 2] & 0xffL) << 16
                | (head[SYSSIZE + 3] & 0xffL) << 24;
        return (setupSects + 1L) * 512 + syssize * 16;
    }
}
