package dev.ringvm.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a killed ringvm left in a temp directory is recognisable by its pid and swept by the next one. */
class TempDirsTest {
    @TempDir
    Path base;

    @Test
    void directoriesAndFilesOfDeadProcessesAreSweptLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        long me = ProcessHandle.current().pid();
        Path stale = Files.createDirectories(base.resolve("ringvm-vm-" + dead + "-123/sub"));
        Files.writeString(stale.resolve("qemu.pid"), "1");
        Path staleFile = Files.writeString(base.resolve("ringvm-vm-" + dead + "-456.part"), "x");
        Path mine = Files.createDirectories(base.resolve("ringvm-vm-" + me + "-789"));
        Path other = Files.createDirectories(base.resolve("ringvm-vm-notapid"));
        Path unrelated = Files.createDirectories(base.resolve("something-" + dead + "-1"));

        assertThat(TempDirs.sweep(base, "ringvm-vm-")).isEqualTo(2);
        assertThat(stale.getParent()).doesNotExist();
        assertThat(staleFile).doesNotExist();
        assertThat(mine).isDirectory();
        assertThat(other).isDirectory();
        assertThat(unrelated).isDirectory();
    }

    @Test
    void createdDirectoriesCarryThisProcesssPid() throws Exception {
        Path d = TempDirs.create(base, "ringvm-x-");
        assertThat(d.getFileName().toString()).startsWith("ringvm-x-" + ProcessHandle.current().pid() + "-");
        assertThat(TempDirs.owner(d.getFileName().toString(), "ringvm-x-")).contains(ProcessHandle.current().pid());
        assertThat(TempDirs.delete(d)).isTrue();
        assertThat(d).doesNotExist();
    }
}
