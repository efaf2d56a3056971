package dev.ringvm.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The complete lines appended to a file since the last call, for following a file another process writes (QEMU's
 * serial chardev, the host probe). A partial last line is kept until its newline arrives. A file last modified
 * before {@code since} is a leftover of an earlier run in the same directory and is not read; a file that shrank
 * or was replaced (another inode) is read again from its start.
 */
final class FileTail {
    /** Bytes read per call at most: a poll stays cheap even behind a huge console log. */
    private static final int MAX_READ = 1 << 20;

    private final Path file;
    private final Instant since;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long offset;
    private Object fileKey;

    FileTail(Path file, Instant since) {
        this.file = file;
        this.since = since;
    }

    List<String> newLines() throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (a.lastModifiedTime().toInstant().isBefore(since)) return List.of();
        if (a.size() < offset || !Objects.equals(a.fileKey(), fileKey)) {
            offset = 0;
            partial.reset();
            fileKey = a.fileKey();
        }
        if (a.size() == offset) return List.of();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_READ, a.size() - offset));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, offset + buf.position());
                if (n <= 0) break;
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        offset += buf.position();
        List<String> lines = new ArrayList<>();
        byte[] bytes = buf.array();
        int start = 0;
        for (int i = 0; i < buf.position(); i++) {
            if (bytes[i] != '\n') continue;
            partial.write(bytes, start, i - start);
            // serial output may hold invalid UTF-8 after a crash: decode leniently, as GuestRun does
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
            start = i + 1;
        }
        partial.write(bytes, start, buf.position() - start);
        return lines;
    }
}
