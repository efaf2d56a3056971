package dev.ringvm.vm;

import dev.ringvm.testing.ChildJvm;
import dev.ringvm.testing.Poll;
import dev.ringvm.testing.VmHolderMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing ringvm starts as a VM outlives it, also when it is killed with SIGKILL (no shutdown hook runs then). */
class OrphanGuardTest {
    @TempDir
    Path dir;

    @Test
    void argvGoesThroughSetprivWithAParentDeathSignalWhenInstalled() {
        List<String> qemu = List.of("/usr/bin/qemu-system-x86_64", "-kernel", "k");
        assertThat(OrphanGuard.wrap(qemu, Optional.of(Path.of("/usr/bin/setpriv")))).containsExactly(
                "/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "/usr/bin/qemu-system-x86_64", "-kernel", "k");
        assertThat(OrphanGuard.wrap(qemu, Optional.empty())).isEqualTo(qemu);
    }

    @Test
    void aVmProcessDiesWithTheJvmThatWasKilled() throws Exception {
        assertThat(OrphanGuard.available()).as("setpriv (util-linux) is installed").isTrue();
        try (ChildJvm child = ChildJvm.start(VmHolderMain.class, dir.resolve("err.log"), dir.toString())) {
            long pid = Long.parseLong(child.awaitLine("started ", Duration.ofSeconds(60)).substring("started ".length()));
            ProcessHandle vm = ProcessHandle.of(pid).orElseThrow();
            Poll.until(Duration.ofSeconds(10), () -> vm.info().command().map(c -> c.endsWith("/sleep")).orElse(false),
                    () -> "setpriv exec'd sleep: " + vm.info().command());
            child.kill9();
            // the kernel sends SIGKILL the moment the forking thread dies; a few seconds is the guarantee
            Poll.until(Duration.ofSeconds(5), () -> !vm.isAlive(), () -> "sleep " + pid + " still runs after its JVM was killed");
        }
    }
}
