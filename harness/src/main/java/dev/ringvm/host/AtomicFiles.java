package dev.ringvm.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Predicate;
import org.apache.commons.io.file.PathUtils;

/**
 * Files and directories replaced whole: the content goes to a temporary sibling (same directory, so the same file
 * system) that is renamed over the target, so a reader, a concurrent run or a run killed mid-write never sees half a
 * file (reports, kernels.lock, cache entries). A failed write leaves the target as it was and no temporary behind.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the new content to the stream it is given; throwing abandons the write. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Fills the fresh directory it is given; throwing abandons it. */
    @FunctionalInterface
    public interface Fill {
        void into(Path dir) throws IOException;
    }

    public static void write(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /** A copy of {@code source} (a build's output, an extracted image) as {@code target}. */
    public static void copy(Path source, Path target) throws IOException {
        write(target, out -> Files.copy(source, out));
    }

    /** Streams the content (an archive member, a jar, a JSON document) into a temp file, then renames it. */
    public static void write(Path target, Content content) throws IOException {
        Path dir = Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            // createTempFile makes 0600; what ringvm writes is for everyone who can read the directory
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            rename(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renames a complete file (a verified download, in a temp directory on the same file system) over {@code target}. */
    public static void rename(Path complete, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Builds a directory in a temporary sibling and renames it to {@code target}. An existing target that is
     * {@code complete} (another process finished first) is kept and the new one dropped; an incomplete one (left by
     * an interrupted build) is replaced.
     */
    public static void writeDirectory(Path target, Predicate<Path> complete, Fill fill) throws IOException {
        Path parent = Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + "-");
        try {
            fill.into(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // rename(2) replaces only an empty directory
                if (!Files.exists(target)) throw e;
                if (complete.test(target)) return;
                PathUtils.deleteDirectory(target);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            if (Files.exists(tmp)) PathUtils.deleteDirectory(tmp);
        }
    }
}
