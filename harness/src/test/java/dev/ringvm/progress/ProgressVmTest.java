package dev.ringvm.progress;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real boot (debian-6.12, 512 MiB, three cases: memalign/sq64, sq65, sq64/cq128) through
 * {@code ringvm run --progress tty}: the live view shows the VM's stages, and what stays on the terminal afterwards
 * is the log lines only, with the cursor shown.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
class ProgressVmTest {

    @TempDir
    Path dir;

    @Test
    void liveViewFollowsABootAndLeavesOnlyLogLines() throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M]
                kernels:
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("run",
                "--kernels", yaml.toString(), "--out", dir.resolve("run").toString(), "--progress", "tty",
                "--only", "memalign/sq6");
        String raw = err.toString();
        assertThat(exit).as(raw).isZero();
        assertThat(raw).contains("  debian-6.12  512M  booting", "  debian-6.12  512M  starting the probe",
                "done 0/1 VMs, elapsed");
        Screen screen = new Screen(80).feed(raw);
        assertThat(screen.cursorVisible).isTrue();
        assertThat(screen.lines()).as("the region is gone, the log lines stay")
                .anyMatch(l -> l.matches("\\[ *\\d+\\.\\ds] debian-6\\.12-512M: done in .*, 2 cases, 2 passed"))
                .noneMatch(l -> l.contains("VMs, elapsed"));
        assertThat(out.toString()).contains("debian-6.12", "single-page");
    }
}
