package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Poll;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringvm shell} in a pseudo-terminal ({@code script} allocates one, as a person's terminal would be): the guest's
 * shell answers on the console, {@code probe --only CASE} prints the case as a line, and the session ends with the
 * shell (the guest powers off) or with Ctrl-]; either way no QEMU is left.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
class ShellVmTest {
    private static final Duration BOOT = Duration.ofMinutes(4);

    /** ringvm shell in its own JVM under script(1), its terminal output collected. */
    private static final class Session implements AutoCloseable {
        final Process p;
        final StringBuffer out = new StringBuffer();
        final OutputStream in;

        Session(Path dir) throws IOException {
            Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n  - id: debian-6.12\n"
                    + "    source: { apt: \"linux-image-*-cloud-amd64\", suite: trixie }\n");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cmd = String.join(" ", List.of(java, "-cp", "'" + System.getProperty("java.class.path") + "'",
                    "dev.ringvm.cli.Main", "shell", "debian-6.12", "--kernels", yaml.toString(), "--accel", "tcg"));
            p = new ProcessBuilder("script", "-qfec", cmd, "/dev/null").redirectErrorStream(true).start();
            in = p.getOutputStream();
            Thread.ofPlatform().daemon().start(() -> {
                try (InputStream s = p.getInputStream()) {
                    byte[] b = new byte[4096];
                    for (int n; (n = s.read(b)) > 0; ) out.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    out.append("\n[read failed: ").append(e).append("]\n");
                }
            });
        }

        void await(String text, Duration limit) throws InterruptedException {
            Poll.until(limit, () -> out.toString().contains(text), () -> "\"" + text + "\" in:\n" + out);
        }

        void type(String s) throws IOException {
            in.write(s.getBytes(StandardCharsets.ISO_8859_1));
            in.flush();
        }

        long qemuPid() {
            Matcher m = Pattern.compile("qemu pid (\\d+)").matcher(out);
            assertThat(m.find()).as(out.toString()).isTrue();
            return Long.parseLong(m.group(1));
        }

        @Override
        public void close() {
            if (p.isAlive()) p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void theShellRunsTheProbeAndExitingItPowersTheGuestOff(@TempDir Path dir) throws Exception {
        try (Session s = new Session(dir)) {
            s.await("ringvm: shell on ", BOOT);
            s.type("probe --only memalign/sq65\r");
            s.await("end: 1 cases", Duration.ofMinutes(3));
            assertThat(s.out.toString()).containsPattern("memalign/sq65 +ok +sqe 8192 B/2 page\\(s\\), rings \\d+ B/\\d page\\(s\\), ring works: \\d+ completions");
            assertThat(s.out.toString()).containsPattern("kernel 6\\.12\\.\\S+, page 4096, huge pages 16/16 free, thp madvise");
            long qemu = s.qemuPid();
            s.type("exit\r");
            assertThat(s.p.waitFor(2, TimeUnit.MINUTES)).as(s.out.toString()).isTrue();
            assertThat(s.p.exitValue()).as(s.out.toString()).isZero();
            assertThat(s.out.toString()).contains("ringvm: shell exited").contains("the guest powered off");
            assertThat(ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void ctrlRightBracketLeavesAndStopsTheVm(@TempDir Path dir) throws Exception {
        try (Session s = new Session(dir)) {
            s.await("ringvm: shell on ", BOOT);
            long qemu = s.qemuPid();
            assertThat(ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false)).isTrue();
            s.type("\u001d");
            assertThat(s.p.waitFor(1, TimeUnit.MINUTES)).as(s.out.toString()).isTrue();
            assertThat(s.p.exitValue()).as(s.out.toString()).isZero();
            assertThat(s.out.toString()).contains("left with Ctrl-]: the VM is stopped");
            assertThat(ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }
}
