package dev.ringvm.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir Path dir;

    private String[] names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void writesReplaceWholeAndAreWorldReadable() throws Exception {
        Path f = dir.resolve("sub").resolve("report.json");
        AtomicFiles.write(f, "one\n");
        AtomicFiles.write(f, "two\n".getBytes(StandardCharsets.UTF_8));
        assertThat(f).hasContent("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        Path copy = dir.resolve("copy");
        AtomicFiles.copy(f, copy);
        assertThat(copy).hasContent("two");
        assertThat(names()).containsExactly("copy", "sub");
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporary() throws Exception {
        Path f = Files.writeString(dir.resolve("kernels.lock"), "old");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("truncated");
        })).hasMessage("truncated");
        assertThat(f).hasContent("old");
        assertThat(names()).containsExactly("kernels.lock");
    }

    @Test
    void renameMovesACompleteFileIntoPlace() throws Exception {
        Path part = Files.writeString(dir.resolve(".download.part"), "deb");
        Path target = dir.resolve("debs").resolve("x.deb");
        AtomicFiles.rename(part, target);
        assertThat(target).hasContent("deb");
        assertThat(part).doesNotExist();
    }

    @Test
    void aDirectoryAppearsWholeAnIncompleteOneIsReplacedACompleteOneKept() throws Exception {
        Path target = dir.resolve("entry");
        Files.createDirectories(target.resolve("partial"));
        AtomicFiles.writeDirectory(target, d -> Files.exists(d.resolve("ready")), tmp -> {
            Files.writeString(tmp.resolve("ready"), "first");
        });
        assertThat(target.resolve("ready")).hasContent("first");
        assertThat(target.resolve("partial")).doesNotExist();
        AtomicFiles.writeDirectory(target, d -> Files.exists(d.resolve("ready")), tmp -> {
            Files.writeString(tmp.resolve("ready"), "second");
        });
        assertThat(target.resolve("ready")).as("another run finished first").hasContent("first");
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(dir.resolve("failed"), d -> true, tmp -> {
            throw new IOException("jlink failed");
        })).hasMessage("jlink failed");
        assertThat(names()).containsExactly("entry");
    }
}
