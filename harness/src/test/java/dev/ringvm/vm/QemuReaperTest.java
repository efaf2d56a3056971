package dev.ringvm.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QemuReaperTest {
    /** What the shutdown hook runs: every registered, still-running process dies. */
    @Test
    void killAllKillsRegisteredProcesses() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        QemuReaper.register(p);
        try {
            QemuReaper.killAll();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            QemuReaper.unregister(p);
            p.destroyForcibly();
        }
    }
}
