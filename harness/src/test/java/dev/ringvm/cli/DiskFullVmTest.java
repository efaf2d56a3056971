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
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disk under --out fills up during the second VM (a 4 MiB tmpfs, filled while that VM runs): the run says the
 * disk is full and where, keeps and prints what finished (the first VM), does not blame the kernel, and exits 3.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE, Capability.MOUNT_TMPFS})
class DiskFullVmTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsNotAKernelFailure() throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M, 768M]
                kernels:
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        Cli setup = new Cli();
        assertThat(setup.run("kernels", "--kernels", yaml.toString())).as(setup.err.toString()).isZero();
        Path mount = Files.createDirectories(dir.resolve("small"));
        sh("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString());
        try {
            Path runDir = mount.resolve("run");
            Cli cli = new Cli();
            FutureTask<Integer> run = new FutureTask<>(() -> cli.run("run", "--kernels", yaml.toString(), "--out",
                    runDir.toString(), "--accel", "tcg", "--jobs", "1"));
            Thread.ofPlatform().name("run").start(run);
            // the first VM finished and was reported, the second one is running: now the disk fills up
            Poll.until(Duration.ofSeconds(240), () -> run.isDone() || (finishedVms(runDir) == 1
                    && qemus(runDir.resolve("debian-6.12-768M")) > 0), () -> "second VM running\n" + cli.err);
            assertThat(run.isDone()).as(cli.err.toString()).isFalse();
            fill(mount.resolve("filler"), mount, 16 * 1024);

            assertThat(run.get(300, TimeUnit.SECONDS)).as(cli.err.toString()).isEqualTo(3);
            String err = cli.err.toString();
            String out = cli.out.toString();
            assertThat(err).contains("disk full: " + runDir.resolve("debian-6.12-768M").toAbsolutePath())
                    .contains("debian-6.12-768M: not judged: disk full");
            assertThat(out).as("the matrix of what finished is printed").contains("debian-6.12").contains("512M")
                    .contains("stopped: disk full: ").contains("not run: debian-6.12-768M").doesNotContain("INFRA");
            JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
            assertThat(report.path("vms").get(0).path("status").asText()).isEqualTo("COMPLETE");

            // a run that starts on the full disk: the machine's problem (3), not a bad --out (2)
            fill(mount.resolve("last-bytes"), mount, 0); // whatever is left
            Cli again = new Cli();
            Path other = mount.resolve("other");
            assertThat(again.run("run", "--kernels", yaml.toString(), "--out", other.toString(), "--accel", "tcg"))
                    .as(again.err.toString()).isEqualTo(3);
            assertThat(again.err.toString().strip()).startsWith("ringvm: ").contains("disk full: No space left on device")
                    .hasLineCount(1);
        } finally {
            sh("umount", "-l", mount.toString());
        }
    }

    private static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    /** Writes {@code file} until only about {@code leave} bytes are free under {@code mount}. */
    private static void fill(Path file, Path mount, long leave) throws IOException {
        long free = Files.getFileStore(mount).getUsableSpace();
        byte[] block = new byte[4096];
        try (OutputStream o = Files.newOutputStream(file)) {
            for (long n = 0; n < free - leave; n += block.length) o.write(block);
        } catch (IOException e) {
            if (leave > 0 || !String.valueOf(e.getMessage()).contains("No space left")) throw e;
        }
    }

    private static long qemus(Path vmDir) {
        try {
            return FailingVmsVmTest.qemuProcessesMentioning(vmDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int finishedVms(Path runDir) {
        try {
            Path f = runDir.resolve("run.json");
            if (!Files.exists(f)) return 0;
            return new ObjectMapper().readTree(f.toFile()).path("vms").size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
