package dev.ringvm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.host.TempDirs;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Poll;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of ringvm: no QEMU outlives it by more than a few seconds (no shutdown hook runs: the kernel's
 * parent-death signal does it), run.json says the run was running, {@code ringvm report} says it was killed (exit 3),
 * and the next ringvm removes the temporary directories the killed one left.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
class KillVmTest {
    @TempDir
    Path dir;

    @Test
    void sigkillLeavesNoQemuAndARecognisableRunDirectory() throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M]
                kernels:
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        Cli setup = new Cli();
        assertThat(setup.run("kernels", "--kernels", yaml.toString())).as(setup.err.toString()).isZero();
        Path runDir = dir.resolve("run");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, "dev.ringvm.cli.Main", "run", "--kernels",
                yaml.toString(), "--out", runDir.toString(), "--accel", "tcg", "--timeout", "600s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("ringvm.log").toFile()).start();
        try {
            Poll.until(Duration.ofSeconds(180), () -> !p.isAlive() || !qemuPids(runDir).isEmpty(), () -> "QEMU started");
            List<Long> qemu = qemuPids(runDir);
            assertThat(qemu).as(Files.readString(dir.resolve("ringvm.log"))).hasSize(1);
            assertThat(p.isAlive()).isTrue();
            assertThat(new ObjectMapper().readTree(runDir.resolve("run.json").toFile()).path("state").asText())
                    .isEqualTo("running");
            List<Path> leftovers = tempDirsOf(p.pid());
            assertThat(leftovers).as("the VM's temporary directory").isNotEmpty();

            long t0 = System.nanoTime();
            new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Poll.until(Duration.ofSeconds(5), () -> qemu.stream().noneMatch(pid -> ProcessHandle.of(pid)
                    .map(ProcessHandle::isAlive).orElse(false)), () -> "QEMU " + qemu + " still runs after ringvm was killed");
            System.out.printf("KillVmTest: QEMU gone %d ms after kill -9%n", (System.nanoTime() - t0) / 1_000_000);

            assertThat(new ObjectMapper().readTree(runDir.resolve("run.json").toFile()).path("state").asText())
                    .isEqualTo("running");
            Cli report = new Cli();
            assertThat(report.run("report", runDir.toString())).isEqualTo(3);
            assertThat(report.err.toString()).contains("the run stopped early: ringvm (pid " + p.pid()
                    + ") was killed before the run finished");
            assertThat(report.out.toString()).contains("not run: debian-6.12-512M");

            TempDirs.sweep(Path.of(System.getProperty("java.io.tmpdir")), "ringvm-vm-");
            assertThat(leftovers).allSatisfy(d -> assertThat(d).doesNotExist());
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<Path> tempDirsOf(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(d -> d.getFileName().toString().startsWith("ringvm-vm-" + pid + "-")).toList();
        }
    }

    private static List<Long> qemuPids(Path runDir) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    return cmd.contains("qemu-system") && cmd.contains(runDir.toString()) && !cmd.contains("setpriv");
                } catch (IOException e) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
