package dev.ringvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringvm bisect --kernels}: three kernels listed out of version order (two 6.12.117 builds from the repository's
 * patches, cached by the other VM tests, and Debian's 6.12 cloud kernel) are walked in image-header version order;
 * the search boots the ends, then the middle, and names the first kernel whose memalign/sq64 and sq65 verdicts differ
 * from the first one's: repro-6.5 (EFAULT past one page).
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class BisectKernelsVmTest {

    @Test
    void namesTheFirstKernelInVersionOrderWhoseVerdictsChange(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n"
                + "  - id: repro-6.5\n    source: " + TestKernels.build("repro-6.5-nommap-efault.patch") + "\n"
                + "  - id: debian-6.12\n    source: { apt: \"linux-image-*-cloud-amd64\", suite: trixie }\n"
                + "  - id: corrupt\n    source: " + TestKernels.build("test-corrupt-nommap-pagemap.patch") + "\n");
        Cli kernels = new Cli();
        assertThat(kernels.run("kernels", "--kernels", yaml.toString())).as(kernels.err.toString()).isZero();

        Cli cli = new Cli();
        long t0 = System.nanoTime();
        int exit = cli.run("bisect", "--kernels", yaml.toString(), "--only", "memalign/sq6", "--accel", "tcg",
                "--out", dir.resolve("bisect").toString());
        System.err.println("ringvm bisect --kernels: exit " + exit + " in " + (System.nanoTime() - t0) / 1_000_000_000
                + " s\n" + cli.out + cli.err);
        assertThat(exit).as(cli.err.toString()).isZero();
        assertThat(cli.err.toString()).containsPattern("kernels in version order: \\[debian-6\\.12 6\\.12\\.\\d+\\S*, "
                + "repro-6\\.5 6\\.12\\.117, corrupt 6\\.12\\.117]");
        String out = cli.out.toString();
        assertThat(out).startsWith("first kernel whose verdicts change: repro-6.5\n  6.12.117\n"
                + "  BAD: 512M memalign/sq65: REGRESSION EFAULT\nbefore it: debian-6.12 ");
        assertThat(out).contains("  512M memalign/sq65  PASS ok  ->  REGRESSION EFAULT\n");
        JsonNode state = new ObjectMapper().readTree(dir.resolve("bisect/bisect.json").toFile());
        List<String> booted = new ArrayList<>();
        state.get("steps").forEach(s -> booted.add(s.get("name").asText()));
        assertThat(booted).containsExactly("debian-6.12", "corrupt", "repro-6.5");
        assertThat(out).contains("boots: 3 in ");
    }
}
