package dev.ringvm.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel version string of an x86 bzImage, read from its setup header (Documentation/arch/x86/boot.rst):
 * "HdrS" at 0x202, the 16-bit {@code kernel_version} field at 0x20E pointing (minus 0x200) at a NUL-terminated
 * string such as {@code 6.12.57+deb13-cloud-amd64 (builder@example.org) #1 SMP ...}.
 *
 * @param release       the first word, the same as {@code uname -r} in the guest
 * @param versionString the whole string
 */
record BzImage(String release, String versionString) {

    static final int MAGIC_OFFSET = 0x202;
    static final int VERSION_FIELD = 0x20E;
    private static final byte[] MAGIC = "HdrS".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_VERSION = 512;

    /** Reads the header of {@code file}; a file that is not a bzImage is an IOException naming it. */
    public static BzImage read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(0x10000 + 0x200 + MAX_VERSION);
        }
        if (head.length < VERSION_FIELD + 2) {
            throw new IOException(file + ": not a bzImage (only " + head.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[MAGIC_OFFSET + i] != MAGIC[i]) {
                throw new IOException(file + ": not a bzImage (no HdrS magic at 0x202)");
            }
        }
        int offset = (head[VERSION_FIELD] & 0xff) | (head[VERSION_FIELD + 1] & 0xff) << 8;
        if (offset == 0) {
            throw new IOException(file + ": bzImage without a kernel version string (kernel_version is 0)");
        }
        int start = offset + 0x200;
        if (start >= head.length) {
            throw new IOException(file + ": bzImage kernel_version offset 0x" + Integer.toHexString(offset) + " is past the end of the file");
        }
        int end = start;
        while (end < head.length && end < start + MAX_VERSION && head[end] != 0) end++;
        if (end >= head.length || head[end] != 0) {
            throw new IOException(file + ": bzImage kernel version string is not terminated");
        }
        String version = new String(head, start, end - start, StandardCharsets.US_ASCII).strip();
        if (version.isEmpty() || !Character.isDigit(version.charAt(0))) {
            throw new IOException(file + ": bzImage kernel version string looks wrong: \"" + version + "\"");
        }
        return new BzImage(version.split("\\s+", 2)[0], version);
    }
}
