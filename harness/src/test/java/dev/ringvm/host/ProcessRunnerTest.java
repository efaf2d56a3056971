package dev.ringvm.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    @TempDir Path dir;

    @Test
    void capturesOutputAndExitCodeWithoutAShell() throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(List.of("sh", "-c", "echo one; echo 'two words' >&2; exit 3", "$(not expanded)"), dir, Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.ok()).isFalse();
        assertThat(r.stdout()).isEqualTo("one\n");
        assertThat(r.tail(5)).isEqualTo("one | two words");
        ProcessRunner.Result apt = ProcessRunner.run(List.of("sh", "-c", "echo Ign:1 x; echo 'E: no Release file' >&2; echo 'N: note' >&2; exit 100"), dir, Duration.ofSeconds(10));
        assertThat(apt.tail(4)).isEqualTo("E: no Release file");
        ProcessRunner.Result args = ProcessRunner.run(List.of("printf", "%s|", "a b", "$HOME", "*"), dir, Duration.ofSeconds(10));
        assertThat(args.stdout()).isEqualTo("a b|$HOME|*|");
    }

    @Test
    void aDeadlineKillsTheProcessAndIsAResult() throws Exception {
        long t0 = System.nanoTime();
        ProcessRunner.Result r = ProcessRunner.run(List.of("sleep", "30"), dir, Duration.ofMillis(300));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.ok()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
}
