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
 * ci/github/ringvm-matrix.yml parses, has the job graph build -> shard (1..N, each through action.yml) -> merge, and runs
 * a kernels file whose sources resolve on GitHub's Ubuntu runners; action.yml does what README says.
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
    void shardMatrixIsOneToNAndEveryJobRunsItsShardOfNThroughTheAction() throws Exception {
        JsonNode shard = workflow().path("jobs").path("shard");
        List<Integer> values = new ArrayList<>();
        shard.path("strategy").path("matrix").path("shard").forEach(v -> values.add(v.asInt()));
        int n = values.size();
        assertThat(n).isGreaterThan(1);
        assertThat(values).containsExactlyElementsOf(IntStream.rangeClosed(1, n).boxed().toList());
        List<JsonNode> action = new ArrayList<>();
        shard.path("steps").forEach(s -> { if (s.path("uses").asText("").equals("./")) action.add(s); });
        assertThat(action).as("the shard job runs the repository's action.yml").hasSize(1);
        JsonNode with = action.getFirst().path("with");
        Matcher m = Pattern.compile("\\$\\{\\{ matrix\\.shard }}/(\\d+)").matcher(with.path("shard").asText());
        assertThat(m.matches()).as(with.toString()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(n);
        assertThat(workflow().path("env").path("SHARDS").asInt()).isEqualTo(n);
        assertThat(with.path("fail-on-verdict").asText()).as("verdicts are judged after the merge").isEqualTo("false");
        assertThat(with.path("out").asText()).isEqualTo("run-shard-${{ matrix.shard }}");
        List<String> before = new ArrayList<>();
        shard.path("steps").forEach(s -> before.add(s.path("uses").asText("")));
        assertThat(before.indexOf("actions/download-artifact@v4")).as("the build job's jars first").isLessThan(before.indexOf("./"));
    }

    private static final Path ACTION = TestKernels.repo().resolve("action.yml");

    private static JsonNode action() throws Exception {
        return new YAMLMapper().readTree(ACTION.toFile());
    }

    @Test
    void actionIsACompositeWithTheInputsTheIssueNames() throws Exception {
        JsonNode a = action();
        assertThat(a.path("runs").path("using").asText()).isEqualTo("composite");
        List<String> inputs = new ArrayList<>();
        a.path("inputs").fieldNames().forEachRemaining(inputs::add);
        assertThat(inputs).contains("kernels", "memory", "shard", "args", "out");
        assertThat(a.path("inputs").path("kernels").path("default").asText()).isEqualTo("kernels.yaml");
        assertThat(a.path("outputs").path("exit-code").path("value").asText()).isEqualTo("${{ steps.run.outputs.code }}");
        a.path("runs").path("steps").forEach(s -> {
            if (s.has("run")) assertThat(s.path("shell").asText()).as("composite run steps need a shell").isEqualTo("bash");
        });
    }

    @Test
    void actionSetsUpJdk25BuildsRunsUploadsAndWritesTheSummary() throws Exception {
        JsonNode steps = action().path("runs").path("steps");
        List<String> order = new ArrayList<>();
        steps.forEach(s -> order.add(s.has("uses") ? s.path("uses").asText() : s.path("run").asText()));
        int java = indexOf(order, u -> u.startsWith("actions/setup-java@"));
        int build = indexOf(order, r -> r.contains("mvn -B -q -DskipTests package"));
        int run = indexOf(order, r -> r.contains("dev.ringvm.cli.Main") && r.contains("argv=(run --kernels \"$KERNELS\" --out \"$OUT\")"));
        int upload = indexOf(order, u -> u.startsWith("actions/upload-artifact@"));
        int summary = indexOf(order, r -> r.contains("report.md") && r.contains(">> \"$GITHUB_STEP_SUMMARY\""));
        assertThat(List.of(java, build, run, upload, summary)).as(order.toString()).isSorted().doesNotContain(-1);
        steps.forEach(s -> {
            if (s.path("uses").asText("").startsWith("actions/setup-java@")) {
                assertThat(s.path("with").path("java-version").asText()).isEqualTo("25");
            }
        });
        String runStep = order.get(run);
        assertThat(runStep).contains("--memory \"$MEMORY\"").contains("--shard \"$SHARD\"").contains("argv+=($ARGS)")
                .contains("echo \"code=$code\" >> \"$GITHUB_OUTPUT\"");
        JsonNode env = steps.get(run).path("env");
        assertThat(env.path("KERNELS").asText()).isEqualTo("${{ inputs.kernels }}");
        assertThat(env.path("MEMORY").asText()).isEqualTo("${{ inputs.memory }}");
        assertThat(env.path("SHARD").asText()).isEqualTo("${{ inputs.shard }}");
        assertThat(env.path("ARGS").asText()).isEqualTo("${{ inputs.args }}");
        assertThat(steps.get(upload).path("if").asText()).isEqualTo("always()");
        assertThat(steps.get(upload).path("with").path("path").asText()).isEqualTo("${{ inputs.out }}/");
        assertThat(order).anyMatch(r -> r.contains("/dev/kvm"));
    }

    /** The action's last step: ringvm's code, or with fail-on-verdict 'false' a failure only for 2 and 4 (bash). */
    @Test
    void actionExitFollowsRingvmOrOnlyUsageAndInternalErrors() throws Exception {
        JsonNode last = action().path("runs").path("steps").get(action().path("runs").path("steps").size() - 1);
        String script = last.path("run").asText();
        for (int code : new int[] {0, 1, 2, 3, 4}) {
            for (boolean strict : new boolean[] {true, false}) {
                ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
                pb.environment().put("CODE", Integer.toString(code));
                pb.environment().put("STRICT", Boolean.toString(strict));
                int exit = pb.start().waitFor();
                int want = strict ? code : (code == 2 || code == 4 ? 1 : 0);
                assertThat(exit).as("code " + code + " strict " + strict).isEqualTo(want);
            }
        }
    }

    private static int indexOf(List<String> items, java.util.function.Predicate<String> p) {
        for (int i = 0; i < items.size(); i++) if (p.test(items.get(i))) return i;
        return -1;
    }

    @Test
    void mergeRunsRingvmMergeAndWritesReportMdToTheStepSummary() throws Exception {
        List<String> runs = runs(workflow().path("jobs").path("merge"));
        assertThat(runs).anyMatch(r -> r.contains("dev.ringvm.cli.Main") && r.contains("merge --out"));
        assertThat(runs).anyMatch(r -> r.contains("report.md") && r.contains(">> \"$GITHUB_STEP_SUMMARY\""));
    }

    /** The kernels file every shard runs: action.yml's {@code kernels} input, the workflow's {@code KERNELS}. */
    private static Path kernelsFile() throws Exception {
        List<String> kernels = new ArrayList<>();
        workflow().path("jobs").path("shard").path("steps").forEach(st -> {
            if (st.path("uses").asText("").equals("./")) kernels.add(st.path("with").path("kernels").asText());
        });
        assertThat(kernels).as("the shard job names its kernels file").containsExactly("${{ env.KERNELS }}");
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
