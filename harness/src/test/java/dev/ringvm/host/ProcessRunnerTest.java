package dev.ringvm.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    @Test
    void aStartedProcessPumpsItsOutputAndEndsWithItsExitCode() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProcessRunner.Running r = ProcessRunner.start(List.of("sh", "-c", "echo out; echo \"$EXTRA\" >&2; exit 7"), dir,
                env -> env.put("EXTRA", "err"), out, Duration.ofSeconds(10));
        assertThat(r.waitFor(Duration.ofSeconds(10))).isTrue();
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.timedOut()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out\nerr\n");
    }

    @Test
    void theDeadlineKillsTheProcessAndItsChildren() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        ProcessRunner.Running r = ProcessRunner.startLines(List.of("sh", "-c", "sleep 60 & echo $!; printf 'no newline'; wait"),
                dir, env -> {}, lines::add, Duration.ofMillis(500));
        assertThat(r.waitFor(Duration.ofSeconds(10))).isTrue();
        assertThat(r.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(lines).hasSize(2).last().isEqualTo("no newline");
        long child = Long.parseLong(lines.getFirst());
        ProcessHandle.of(child).ifPresent(h -> h.onExit().join());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void killBeforeTheDeadlineIsNotATimeout() throws Exception {
        ProcessRunner.Running r = ProcessRunner.start(List.of("sleep", "60"), dir, env -> {},
                java.io.OutputStream.nullOutputStream(), Duration.ofSeconds(60));
        r.kill();
        assertThat(r.process().isAlive()).isFalse();
        assertThat(r.timedOut()).isFalse();
    }
}
