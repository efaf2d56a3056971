package dev.ringvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** ci/github/ringvm-matrix.yml parses and has the job graph build -> shard (1..N, each through action.yml) -> merge; action.yml does what README says. */
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
}
