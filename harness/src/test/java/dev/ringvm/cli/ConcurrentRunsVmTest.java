package dev.ringvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Poll;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two runs on one --out: the second is refused (exit 2, naming the first) while the first's QEMU runs, and the first
 * finishes with all its records. Two runs with different --outs on one cache (one of them in another JVM) both
 * finish.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
class ConcurrentRunsVmTest {
    @TempDir
    Path dir;

    @Test
    void oneWriterPerRunDirectoryAndOneCacheForMany() throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M]
                kernels:
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        Cli setup = new Cli();
        assertThat(setup.run("kernels", "--kernels", yaml.toString())).as(setup.err.toString()).isZero();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        List<String> common = List.of("run", "--kernels", yaml.toString(), "--accel", "tcg", "--only", "memalign/");
        Cli first = new Cli();
        FutureTask<Integer> runA = new FutureTask<>(() -> first.run(args(common, "--out", a.toString())));
        Thread.ofPlatform().name("run-a").start(runA);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process runB = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, "dev.ringvm.cli.Main",
                "run", "--kernels", yaml.toString(), "--accel", "tcg", "--only", "memalign/", "--out", b.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("b.log").toFile()).start();
        try {
            Poll.until(Duration.ofSeconds(180), () -> runA.isDone() || qemus(a) > 0, () -> "run a's QEMU started\n" + first.err);
            assertThat(runA.isDone()).as(first.err.toString()).isFalse();
            Cli second = new Cli();
            assertThat(second.run(args(common, "--out", a.toString()))).isEqualTo(2);
            assertThat(second.err.toString().strip()).startsWith("ringvm: --out " + a + ": in use by another ringvm run (pid "
                    + ProcessHandle.current().pid() + " on ").hasLineCount(1);

            assertThat(runA.get(300, TimeUnit.SECONDS)).as(first.err.toString()).isZero();
            assertThat(runB.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(runB.exitValue()).as(Files.readString(dir.resolve("b.log"))).isZero();
            for (Path run : List.of(a, b)) {
                JsonNode report = new ObjectMapper().readTree(run.resolve("report.json").toFile());
                assertThat(report.path("vms").get(0).path("status").asText()).as(run.toString()).isEqualTo("COMPLETE");
                assertThat(new ObjectMapper().readTree(run.resolve("run.json").toFile()).path("state").asText())
                        .isEqualTo("finished");
            }
        } finally {
            runB.destroyForcibly();
        }
    }

    private static String[] args(List<String> common, String... more) {
        return java.util.stream.Stream.concat(common.stream(), java.util.Arrays.stream(more)).toArray(String[]::new);
    }

    private static long qemus(Path runDir) {
        try {
            return FailingVmsVmTest.qemuProcessesMentioning(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
