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
 * {@code ringvm bisect --kernels}: four kernels listed out of version order (Debian's 6.12 and 6.1 cloud kernels, and
 * two 6.12.117 builds from the repository's patches, cached by the other VM tests) are walked in image-header version
 * order: 6.1.x, then 6.12.117 (the builds, in file order), then 6.12.117+deb13. The search boots the two ends, then
 * the middle, and names the first kernel whose memalign/sq64 and sq65 verdicts differ from the first one's (6.1:
 * NO_MMAP unknown, UNSUPPORTED): the corrupt build, the first 6.12 in that order. Nothing is built.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class BisectKernelsVmTest {

    @Test
    void namesTheFirstKernelInVersionOrderWhoseVerdictsChange(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n"
                + "  - id: corrupt\n    source: " + TestKernels.build("test-corrupt-nommap-pagemap.patch") + "\n"
                + "  - id: repro-6.5\n    source: " + TestKernels.build("repro-6.5-nommap-efault.patch") + "\n"
                + "  - id: debian-6.12\n    source: { apt: \"linux-image-*-cloud-amd64\", suite: trixie }\n"
                + "  - id: debian-6.1\n    source: { apt: \"linux-image-*-cloud-amd64\", suite: bookworm }\n");
        Cli kernels = new Cli();
        assertThat(kernels.run("kernels", "--kernels", yaml.toString())).as(kernels.err.toString()).isZero();

        Cli cli = new Cli();
        long t0 = System.nanoTime();
        int exit = cli.run("bisect", "--kernels", yaml.toString(), "--only", "memalign/sq6", "--accel", "tcg",
                "--out", dir.resolve("bisect").toString());
        System.err.println("ringvm bisect --kernels: exit " + exit + " in " + (System.nanoTime() - t0) / 1_000_000_000
                + " s\n" + cli.out + cli.err);
        assertThat(exit).as(cli.err.toString()).isZero();
        assertThat(cli.err.toString()).containsPattern("kernels in version order: \\[debian-6\\.1 6\\.1\\.\\S+, "
                + "corrupt 6\\.12\\.117, repro-6\\.5 6\\.12\\.117, debian-6\\.12 6\\.12\\.\\d+\\+\\S+]");
        String out = cli.out.toString();
        assertThat(out).startsWith("first kernel whose verdicts change: corrupt\n  6.12.117\n"
                + "  BAD: 512M memalign/sq65: REGRESSION ring-corrupt\nbefore it: debian-6.1 ");
        assertThat(out).containsPattern("cells that differ \\(before -> corrupt\\): 2\n"
                + "  512M memalign/sq64  UNSUPPORTED EINVAL  ->  PASS ok\n"
                + "  512M memalign/sq65  UNSUPPORTED EINVAL  ->  REGRESSION ring-corrupt\n");
        JsonNode state = new ObjectMapper().readTree(dir.resolve("bisect/bisect.json").toFile());
        List<String> booted = new ArrayList<>();
        state.get("steps").forEach(s -> booted.add(s.get("name").asText()));
        assertThat(booted).containsExactly("debian-6.1", "debian-6.12", "corrupt");
        assertThat(out).contains("boots: 3 in ");
    }
}
