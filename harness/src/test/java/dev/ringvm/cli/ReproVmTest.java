package dev.ringvm.cli;

import dev.ringvm.host.ProcessRunner;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringvm repro} for the case repro-6.5 fails: the directory's scripts build the static reproducer into a
 * one-case initramfs and boot the run's kernel on it, where the reproducer gives EFAULT as the run did; the single-page
 * neighbour gives ok there too.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.GCC, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class ReproVmTest {

    private static String boot(Path repro) throws Exception {
        ProcessRunner.Result mk = ProcessRunner.run(List.of("sh", repro.resolve("mkinitramfs.sh").toString()), repro, Duration.ofMinutes(3));
        assertThat(mk.ok()).as(mk.output()).isTrue();
        ProcessRunner.Result run = ProcessRunner.run(List.of("sh", repro.resolve("run-qemu.sh").toString()), repro, Duration.ofMinutes(5));
        System.err.println(run.stdout());
        assertThat(run.ok()).as(run.output()).isTrue();
        return run.stdout();
    }

    @Test
    void theReproducerGivesEfaultOnRepro65AsTheRunDid(@TempDir Path dir) throws Exception {
        TestKernels.Run r = TestKernels.runAt512M(dir, "repro-6.5", "repro-6.5-nommap-efault.patch", "--only", "memalign/sq6");
        assertThat(r.exit()).as(r.cli().err.toString()).isEqualTo(1); // REGRESSION: judged as the 6.12 it is
        Cli cli = new Cli();
        Path out = dir.resolve("bug");
        assertThat(cli.run("repro", r.dir().toString(), "repro-6.5-512M/memalign/sq65", "--out", out.toString()))
                .as(cli.err.toString()).isZero();
        assertThat(Files.readString(out.resolve("README.md"))).contains("- observed: `EFAULT` (errno 14)")
                .contains("- rings region: ").contains("2 page(s)");
        String efault = boot(out);
        assertThat(efault).contains("ringvm repro memalign/sq65 on Linux 6.12.117")
                .contains("io_uring_setup(65, flags 0x4000) = -1 EFAULT (14: Bad address)")
                .contains("result: EFAULT").contains("repro: exit 1");

        Path single = dir.resolve("single");
        assertThat(new Cli().run("repro", r.dir().toString(), "repro-6.5-512M/memalign/sq64", "--out", single.toString())).isZero();
        String ok = boot(single);
        assertThat(ok).contains("ring works: 256 NOPs through 64 SQ and 128 CQ slots").contains("result: ok")
                .contains("repro: exit 0");
    }
}
