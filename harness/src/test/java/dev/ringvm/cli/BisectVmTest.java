package dev.ringvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringvm bisect --tree} over {@link KernelHistory} (Debian's linux-source-6.12 in git, the 6.5 rule
 * reinstated by one of eight commits), real builds (tinyconfig + the guest fragment, cached by tree content, ccache)
 * and TCG boots of the two cases around the one-page limit ({@code memalign/sq64} fits, {@code memalign/sq65} does
 * not: EFAULT under the 6.5 rule, a REGRESSION on 6.12). The whole class builds three kernels when nothing is
 * cached: the main bisect builds them, every later bisect reuses them (other commits with the same trees).
 */
@Tag("vm")
@Tag("bisect")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE, Capability.GIT})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BisectVmTest {
    static final String ONLY = "memalign/sq6";

    @TempDir
    static Path shared;
    static KernelHistory history;

    @BeforeAll
    static void history() throws Exception {
        long t0 = System.nanoTime();
        history = KernelHistory.create(shared, TestKernels.repo());
        System.err.println("kernel history ready in " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
    }

    private static Cli bisect(Path out, String... args) {
        List<String> argv = new ArrayList<>(List.of("bisect", "--tree", history.dir.toString(), "--only", ONLY,
                "--accel", "tcg", "--out", out.toString(), "--fragments",
                TestKernels.repo().resolve("vm-images/kernel-config/ringvm-guest.config").toString()));
        argv.addAll(List.of(args));
        Cli cli = new Cli();
        long t0 = System.nanoTime();
        int exit = cli.run(argv.toArray(String[]::new));
        System.err.println("ringvm " + String.join(" ", argv) + "\nexit " + exit + " in "
                + (System.nanoTime() - t0) / 1_000_000_000 + " s\n" + cli.out);
        assertThat(exit).as(cli.err.toString()).isZero();
        return cli;
    }

    private static JsonNode state(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("bisect.json").toFile());
    }

    private static List<String> steps(JsonNode state) {
        List<String> tags = new ArrayList<>();
        for (JsonNode s : state.get("steps")) {
            tags.add(history.sha.entrySet().stream().filter(e -> e.getValue().equals(s.get("name").asText()))
                    .map(java.util.Map.Entry::getKey).findFirst().orElse(s.get("name").asText()));
        }
        return tags;
    }

    @Test
    @Order(1)
    void namesTheCommitThatReinstatesThe65RuleInThreeBuildsAndASecondRunBuildsNothing(@TempDir Path dir) throws Exception {
        String headBefore = history.git("rev-parse", "HEAD");
        Cli first = bisect(dir.resolve("first"), "--good", "c0", "--bad", "c8");
        String out = first.out.toString();
        assertThat(out).startsWith("first bad commit: " + history.sha.get("c5") + "\n"
                + "  io_uring: reinstate the 6.5 NO_MMAP rule (first pinned page must be the last)\n"
                + "  BAD: 512M memalign/sq65: REGRESSION EFAULT\n");
        assertThat(out).contains("cells that differ (before -> " + history.sha.get("c5").substring(0, 12) + "): 1\n"
                + "  512M memalign/sq65  PASS ok  ->  REGRESSION EFAULT\n");
        JsonNode s = state(dir.resolve("first"));
        assertThat(steps(s)).containsExactly("c4", "c6", "c5");
        int built = 0;
        for (JsonNode step : s.get("steps")) if (step.get("built").asBoolean()) built++;
        assertThat(built).as("at most 4 builds (0 when an earlier run cached them)").isLessThanOrEqualTo(4);
        assertThat(history.git("rev-parse", "HEAD")).isEqualTo(headBefore);
        assertThat(history.git("status", "--porcelain")).isEmpty();

        Cli second = bisect(dir.resolve("second"), "--good", "c0", "--bad", "c8");
        assertThat(second.out.toString()).contains("builds: 0 in ").contains(", cached: 3; boots: 3 in ");
        assertThat(second.out.toString()).startsWith("first bad commit: " + history.sha.get("c5") + "\n");
    }

    @Test
    @Order(2)
    void fixNamesTheRevertToBackport(@TempDir Path dir) throws Exception {
        Cli cli = bisect(dir, "--fix", "--bad", "c6", "--good", "r3");
        assertThat(cli.out.toString()).startsWith("first fixed commit: " + history.sha.get("r2") + "\n"
                + "  Revert \"io_uring: reinstate the 6.5 NO_MMAP rule (first pinned page must be the last)\"\n");
        assertThat(cli.out.toString()).contains("  512M memalign/sq65  REGRESSION EFAULT  ->  PASS ok\n");
        assertThat(steps(state(dir))).containsExactly("r2", "r1");
    }

    @Test
    @Order(3)
    void aCommitThatDoesNotBuildIsSkippedNotGuessed(@TempDir Path dir) throws Exception {
        Cli cli = bisect(dir, "--good", "c4", "--bad", "x3");
        assertThat(cli.out.toString()).startsWith("first bad commit: " + history.sha.get("x1") + "\n");
        JsonNode s = state(dir);
        assertThat(steps(s)).containsExactly("x2", "x1", "c4");
        JsonNode skipped = s.get("steps").get(0);
        assertThat(skipped.get("answer").asText()).isEqualTo("SKIP");
        assertThat(skipped.get("reason").asText()).startsWith("build failed: ")
                .containsPattern("make tinyconfig failed: init/Kconfig:\\d+: syntax error");
        assertThat(cli.out.toString()).contains("builds: 1 in ").contains(" (1 failed), cached: 2; ");
    }
}
