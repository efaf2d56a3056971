package dev.ringvm.host;

import dev.ringvm.testing.ChildJvm;
import dev.ringvm.testing.LockHolderMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A run directory has one writer: in this JVM, in another one, and again once the holder was killed. */
class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderInThisJvmIsRefusedNamingTheFirst() throws Exception {
        long me = ProcessHandle.current().pid();
        try (DirectoryLock _ = DirectoryLock.acquire(dir, "ringvm run")) {
            assertThatThrownBy(() -> DirectoryLock.acquire(dir, "ringvm run"))
                    .isInstanceOf(DirectoryLock.HeldException.class)
                    .hasMessageStartingWith(dir + ": in use by another ringvm run (pid " + me + " on ")
                    .hasMessageContaining(", ringvm run, since ");
            assertThat(DirectoryLock.holder(dir)).hasValueSatisfying(h -> assertThat(h).startsWith("pid " + me + " "));
        }
        assertThat(DirectoryLock.holder(dir)).isEmpty();
        try (DirectoryLock again = DirectoryLock.acquire(dir, "ringvm report")) {
            assertThat(DirectoryLock.lastHolder(dir)).hasValueSatisfying(h -> assertThat(h).contains("ringvm report"));
        }
    }

    @Test
    void anotherProcessHoldsItUntilItIsKilled() throws Exception {
        try (ChildJvm child = ChildJvm.start(LockHolderMain.class, dir.resolveSibling(dir.getFileName() + "-err.log"),
                dir.toString())) {
            String line = child.awaitLine("locked ", Duration.ofSeconds(60));
            assertThat(line).isEqualTo("locked " + child.pid());
            assertThatThrownBy(() -> DirectoryLock.acquire(dir, "ringvm run"))
                    .isInstanceOf(DirectoryLock.HeldException.class)
                    .satisfies(e -> assertThat(((DirectoryLock.HeldException) e).holder()).startsWith("pid " + child.pid() + " on "));
            assertThat(DirectoryLock.holder(dir)).hasValueSatisfying(h -> assertThat(h).startsWith("pid " + child.pid() + " "));
            // SIGKILL runs no finally block: the kernel drops the lock with the process
            child.kill9();
            assertThat(DirectoryLock.holder(dir)).isEmpty();
            try (DirectoryLock _ = DirectoryLock.acquire(dir, "ringvm run")) {
                assertThat(Files.readString(dir.resolve(DirectoryLock.FILE)))
                        .startsWith("pid " + ProcessHandle.current().pid() + " ");
            }
        }
    }
}
