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

/** ci/github/ringvm-matrix.yml parses and has the job graph build -> shard (1..N) -> merge. */
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
        Matcher m = Pattern.compile("run --shard \\$\\{\\{ matrix\\.shard }}/(\\d+)").matcher(run);
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
}
