package dev.ringvm.host;

import dev.ringvm.testing.ChildJvm;
import dev.ringvm.testing.SignalRecorderMain;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A shutdown hook learns which signal stops the JVM, and the JVM still exits 128 + its number. */
class SignalsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"INT, SIGINT, 130", "TERM, SIGTERM, 143", "HUP, SIGHUP, 129"})
    void theSignalIsRecordedAndTheExitStatusKept(String kill, String name, int exit) throws Exception {
        try (ChildJvm child = ChildJvm.start(SignalRecorderMain.class, dir.resolve("err.log"))) {
            child.awaitLine("ready", Duration.ofSeconds(60));
            new ProcessBuilder("kill", "-" + kill, Long.toString(child.pid())).start().waitFor();
            assertThat(child.awaitLine("stopped by ", Duration.ofSeconds(30))).isEqualTo("stopped by " + name + " exit " + exit);
            assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.process().exitValue()).isEqualTo(exit);
        }
    }
}
