package dev.ringvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ringvm.config.ConfigLoader;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.config.MatrixConfig;
import dev.ringvm.kernel.AptDistribution;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ci/github/ringvm-matrix.yml parses, has the job graph build -> shard (1..N) -> merge, and runs a kernels file whose
 * sources resolve on GitHub's Ubuntu runners.
 */
class WorkflowTest {
    private static final Path WORKFLOW = TestKernels.repo().resolve("ci/github/ringvm-matrix.yml");

    private static JsonNode workflow() throws Exception {
        return new YAMLMapper().readTree(WORKFLOW.toFile());
    }

    private static List<String> runs(JsonNode job) {
        List<String> out = new ArrayList<>();
        job.path("steps").forEach(s -> { if (s.has("run")) out.add(s.path("run").asText()); });
        return out;
    }

    private static List<String> needs(JsonNode job) {
        JsonNode n = job.path("needs");
        List<String> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asText())); else if (n.isTextual()) out.add(n.asText());
        return out;
    }

    @Test
    void jobGraphIsBuildThenShardsThenMerge() throws Exception {
        JsonNode jobs = workflow().path("jobs");
        assertThat(jobs.has("build") && jobs.has("shard") && jobs.has("merge")).as(jobs.toString()).isTrue();
        assertThat(needs(jobs.path("shard"))).containsExactly("build");
        assertThat(needs(jobs.path("merge"))).contains("shard");
        assertThat(jobs.path("merge").path("if").asText()).isEqualTo("always()");
    }

    @Test
    void buildRunsMavenOnceWithJdk25AndUploadsIt() throws Exception {
        JsonNode build = workflow().path("jobs").path("build");
        List<String> uses = new ArrayList<>();
        build.path("steps").forEach(s -> uses.add(s.path("uses").asText("")));
        assertThat(uses).anyMatch(u -> u.startsWith("actions/setup-java@")).anyMatch(u -> u.startsWith("actions/upload-artifact@"));
        build.path("steps").forEach(s -> {
            if (s.path("uses").asText("").startsWith("actions/setup-java@")) assertThat(s.path("with").path("java-version").asText()).isEqualTo("25");
        });
        assertThat(runs(build)).contains("mvn -B -DskipTests package");
    }

    @Test
    void shardMatrixIsOneToNAndEveryJobRunsItsShardOfN() throws Exception {
        JsonNode shard = workflow().path("jobs").path("shard");
        List<Integer> values = new ArrayList<>();
        shard.path("strategy").path("matrix").path("shard").forEach(v -> values.add(v.asInt()));
        int n = values.size();
        assertThat(n).isGreaterThan(1);
        assertThat(values).containsExactlyElementsOf(IntStream.rangeClosed(1, n).boxed().toList());
        String run = String.join("\n", runs(shard));
        Matcher m = Pattern.compile("run (?:--kernels \"\\$KERNELS\" )?--shard \\$\\{\\{ matrix\\.shard }}/(\\d+)").matcher(run);
        assertThat(m.find()).as(run).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(n);
        assertThat(workflow().path("env").path("SHARDS").asInt()).isEqualTo(n);
        assertThat(run).contains("/dev/kvm");
    }

    @Test
    void mergeRunsRingvmMergeAndWritesReportMdToTheStepSummary() throws Exception {
        List<String> runs = runs(workflow().path("jobs").path("merge"));
        assertThat(runs).anyMatch(r -> r.contains("dev.ringvm.cli.Main") && r.contains("merge --out"));
        assertThat(runs).anyMatch(r -> r.contains("report.md") && r.contains(">> \"$GITHUB_STEP_SUMMARY\""));
    }

    /** The kernels file every shard runs: {@code --kernels "$KERNELS"} with the workflow's {@code KERNELS}. */
    private static Path kernelsFile() throws Exception {
        String run = String.join("\n", runs(workflow().path("jobs").path("shard")));
        assertThat(run).as("the shard job names its kernels file").contains("run --kernels \"$KERNELS\"");
        String file = workflow().path("env").path("KERNELS").asText();
        assertThat(file).as("env.KERNELS").isNotEmpty();
        return TestKernels.repo().resolve(file);
    }

    @Test
    void theShardsRunAKernelsFileThatResolvesOnAnUbuntuRunner() throws Exception {
        MatrixConfig config = ConfigLoader.load(kernelsFile());
        List<String> problems = new ArrayList<>();
        for (KernelEntry k : config.kernels()) {
            switch (k.source()) {
                case KernelSource.AptSource a -> {
                    // the runner's apt sources name Ubuntu's archive: any other suite needs its own archive
                    boolean ubuntu = AptDistribution.ofSuite(a.suite()).orElse(null) == AptDistribution.UBUNTU;
                    if (!ubuntu && a.archive() == null) problems.add(k.id() + ": " + a.describe() + " is not an Ubuntu suite and names no archive");
                }
                case KernelSource.PathSource p -> problems.add(k.id() + ": a path source is not on a runner");
                case KernelSource.BuildSource b -> {
                    if (b.debianSource() != null) problems.add(k.id() + ": builds from Debian's linux-source, not on an Ubuntu runner");
                }
                case KernelSource.HostSource h -> problems.add(k.id() + ": the runner's own kernel is not a matrix kernel");
                case KernelSource.DebSource d -> {
                    if (!d.location().matches("https?://.*")) problems.add(k.id() + ": a local .deb is not on a runner");
                }
                case KernelSource.RpmSource r -> {
                    if (!r.location().matches("https?://.*")) problems.add(k.id() + ": a local .rpm is not on a runner");
                }
                case KernelSource.MainlineSource m -> { }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theUbuntuKernelsFileHasNobles68AnHweKernelAndTheMainlineReleases() throws Exception {
        MatrixConfig config = ConfigLoader.load(kernelsFile());
        List<String> sources = config.kernels().stream().map(k -> k.source().describe()).toList();
        assertThat(sources).contains("apt linux-image-unsigned-6.8.0-*-generic @ noble-updates",
                "apt linux-image-generic-hwe-24.04 @ noble-updates",
                "mainline v6.5", "mainline v6.5.13", "mainline v6.8.12");
    }

    @Test
    void theDefaultDebianMatrixWouldFailThatCheck() throws Exception {
        // the check above is able to fail: the repository's default kernels.yaml names Debian suites without archives
        MatrixConfig config = ConfigLoader.load(TestKernels.repo().resolve("kernels.yaml"));
        assertThat(config.kernels()).anyMatch(k -> k.source() instanceof KernelSource.AptSource a && a.archive() == null
                && AptDistribution.ofSuite(a.suite()).orElse(null) == AptDistribution.DEBIAN);
    }
}
