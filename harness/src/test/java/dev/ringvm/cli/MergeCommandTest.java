package dev.ringvm.cli;

import dev.ringvm.vm.ConsoleScanner;
import dev.ringvm.config.KernelSource;

import dev.ringvm.model.Shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.report.RunDirectory;
import dev.ringvm.model.GuestRun;
import dev.ringvm.run.MatrixRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.run.Shards;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.run.VmRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** `ringvm merge`: N shards of a matrix, run with a fake VmRunner, merge to what one unsharded run reports. */
class MergeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Integer> MEMORY = List.of(512, 2048);

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int ringvm(String... args) {
        return Main.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    }

    /** Five kernels (one regresses), a host kernel; each at two memory sizes, two repeats. */
    private static final List<ResolvedKernel> KERNELS = List.of(
            kernel("debian-6.1", "6.1.0"), kernel("mainline-6.5", "6.5.0"), kernel("debian-6.12", "6.12.1"),
            kernel("broken-6.12", "6.12.2"), kernel("aaa-7.0", "7.0.1"),
            new ResolvedKernel("laptop", new KernelSource.HostSource(), null, null, "6.12.3", "6.12.3 (host)", null, null));

    private static List<String> matrixCells() {
        List<String> cells = new ArrayList<>();
        for (ResolvedKernel k : KERNELS) {
            if (k.image() == null) cells.add(k.id() + "-host");
            else for (int m : MEMORY) cells.add(k.id() + "-" + m + "M");
        }
        return cells;
    }

    private static List<VmJob> jobs() {
        List<VmJob> jobs = new ArrayList<>();
        for (ResolvedKernel k : KERNELS) {
            for (int m : k.image() == null ? List.of(0) : MEMORY) for (int r = 0; r < 2; r++) jobs.add(new VmJob(k, m, r, null));
        }
        return jobs;
    }

    /** Deterministic per kernel: 6.1 EINVAL, 6.5 EFAULT, broken-6.12 EINVAL (a regression), else ok. */
    private static final VmRunner FAKE = (job, dir, nonce) -> {
        String release = job.kernel().release();
        List<String> lines = switch (job.kernel().id()) {
            case "debian-6.1", "broken-6.12" -> grid(release, "EINVAL", 22);
            case "mainline-6.5" -> grid(release, "EFAULT", 14);
            default -> grid(release, "ok", 0);
        };
        try {
            Files.write(dir.resolve("console.log"), List.of("ringvm: init at 0.5", "console of " + job.name()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        lines = lines.stream().map(l -> l.replace(NONCE, nonce)).toList();
        return new VmResult(job, VmResult.Status.COMPLETE, "", GuestRun.parse(lines, nonce), Duration.ofSeconds(3),
                "tcg", dir.resolve("console.log"), dir.resolve("results.log"), ConsoleScanner.facts(dir.resolve("console.log")));
    };

    private Path run(String name, Shard shard, String matrix) throws Exception {
        Path dir = tmp.resolve(name);
        List<String> cells = matrixCells();
        Set<String> mine = Set.copyOf(shard == null ? cells : Shards.cellsOf(cells, shard));
        List<VmJob> jobs = jobs().stream().filter(j -> mine.contains(j.cell())).toList();
        new MatrixRun(jobs, List.of(), FAKE, 2, dir, "nonce-" + name, "tcg", "test", s -> { }, RunDirectory::write,
                Clock.systemUTC()).context(new RunSummary.Context(shard, matrix, cells, false, List.of(), List.of()))
                .execute();
        return dir;
    }

    private static List<String> cells(Path dir) throws Exception {
        JsonNode r = JSON.readTree(dir.resolve("report.json").toFile());
        List<String> out = new ArrayList<>();
        r.path("cells").forEach(c -> out.add(c.path("kernel").asText() + " " + c.path("memoryMiB").asInt() + " "
                + c.path("id").asText() + " " + c.path("verdict").asText() + " " + c.path("result").asText()
                + " " + c.path("outcome").asText()));
        return out;
    }

    private static List<String> rows(Path dir) throws Exception {
        JsonNode r = JSON.readTree(dir.resolve("report.json").toFile());
        List<String> out = new ArrayList<>();
        r.path("rows").forEach(c -> out.add(c.path("cell").asText() + " " + c.path("boots").asInt() + " " + c.path("verdict").asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void mergingAllShardsReportsWhatOneUnshardedRunReports(int n) throws Exception {
        Path whole = run("whole", null, "fp");
        List<String> args = new ArrayList<>(List.of("merge", "--out", tmp.resolve("merged").toString()));
        for (int i = 1; i <= n; i++) args.add(run("shard" + i, new Shard(i, n), "fp").toString());
        int exit = ringvm(args.toArray(String[]::new));

        Path merged = tmp.resolve("merged");
        assertThat(exit).as(err.toString()).isEqualTo(1); // broken-6.12 regresses, as in the unsharded run
        assertThat(cells(merged)).isNotEmpty().containsExactlyElementsOf(cells(whole));
        assertThat(rows(merged)).hasSize(11).containsExactlyElementsOf(rows(whole));
        JsonNode report = JSON.readTree(merged.resolve("report.json").toFile());
        assertThat(report.path("run").path("exitCode").asInt()).isEqualTo(1);
        assertThat(report.path("run").path("plannedVms").asInt()).isEqualTo(22);
        assertThat(report.path("run").path("interrupted").asBoolean()).isFalse();
        for (String f : List.of("run.json", "results.jsonl", "report.json", "junit.xml", "report.md", "report.html")) {
            assertThat(merged.resolve(f)).isRegularFile();
        }
        assertThat(merged.resolve("debian-6.12-2048M-r2/console.log")).content().contains("debian-6.12-2048M-r2");
        // the merged directory is itself a run directory: report re-renders it to the same verdicts
        assertThat(ringvm("report", merged.toString())).isEqualTo(1);
        assertThat(cells(merged)).containsExactlyElementsOf(cells(whole));
    }

    @Test
    void shardsAreBalancedAndDisjointAndKeepRepeatsTogether() {
        List<String> cells = matrixCells(); // 11 cells, one of them a host cell
        for (int n = 1; n <= 5; n++) {
            List<String> all = new ArrayList<>();
            int min = Integer.MAX_VALUE, max = 0;
            for (int i = 1; i <= n; i++) {
                List<String> mine = Shards.cellsOf(cells, new Shard(i, n));
                all.addAll(mine);
                min = Math.min(min, mine.size());
                max = Math.max(max, mine.size());
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(cells);
            assertThat(max - min).as("n=" + n).isLessThanOrEqualTo(1);
        }
        // a kernel's memory sizes land in different shards, so one unavailable kernel cannot empty a shard
        assertThat(Shards.assign(cells, 2)).containsEntry("debian-6.1-512M", 1).containsEntry("debian-6.1-2048M", 2);
    }

    @Test
    void missingShardsAreMergedNamedAndExit3() throws Exception {
        Path one = run("s1", new Shard(1, 3), "fp");
        Path three = run("s3", new Shard(3, 3), "fp");
        int exit = ringvm("merge", "--out", tmp.resolve("m").toString(), one.toString(), three.toString());
        assertThat(err.toString()).contains("missing shard(s) 2 of 3");
        JsonNode run = JSON.readTree(tmp.resolve("m/report.json").toFile()).path("run");
        assertThat(run.path("missingShards").toString()).isEqualTo("[2]");
        assertThat(run.path("notRun")).isNotEmpty();
        // broken-6.12 is in shard 2 here? then 3, else 1 (a regression wins over missing results, as in run)
        boolean regressionPresent = cells(tmp.resolve("m")).stream().anyMatch(c -> c.contains(" REGRESSION "));
        assertThat(exit).isEqualTo(regressionPresent ? 1 : 3);
    }

    @Test
    void refusesShardsThatDoNotBelongTogether() throws Exception {
        Path a = run("a", new Shard(1, 2), "fp");
        Path b = run("b", new Shard(2, 2), "other");
        assertThat(ringvm("merge", "--out", tmp.resolve("m1").toString(), a.toString(), b.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(b + ": a different matrix").doesNotContain("\n\n");

        Path c = run("c", new Shard(2, 3), "fp");
        err.getBuffer().setLength(0);
        assertThat(ringvm("merge", "--out", tmp.resolve("m2").toString(), a.toString(), c.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("ringvm: " + c + ": shard 2/3").contains("shard counts disagree")
                .doesNotContain("\n");

        err.getBuffer().setLength(0);
        assertThat(ringvm("merge", "--out", tmp.resolve("m3").toString(), a.toString(), a.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(a + ": shard 1/2 again");

        Path dup = run("dup", new Shard(1, 1), "fp");
        Path d2 = run("d2", new Shard(2, 2), "fp");
        err.getBuffer().setLength(0);
        // shard 1/1 holds every cell: but counts differ first; same count with overlapping cells:
        assertThat(ringvm("merge", "--out", tmp.resolve("m4").toString(), dup.toString(), d2.toString())).isEqualTo(2);

        Path notRun = Files.createDirectories(tmp.resolve("empty"));
        err.getBuffer().setLength(0);
        assertThat(ringvm("merge", "--out", tmp.resolve("m5").toString(), a.toString(), notRun.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).contains(notRun.toString()).contains("not a run directory").doesNotContain("\n");
    }

    @Test
    void refusesTwoShardsHoldingTheSameCell() throws Exception {
        Path a = run("a", new Shard(1, 2), "fp");
        Path b = tmp.resolve("b");
        // a shard 2/2 directory that (wrongly) also ran shard 1's cells
        List<String> cells = matrixCells();
        new MatrixRun(jobs(), List.of(), FAKE, 2, b, "nb", "tcg", "test", s -> { }, RunDirectory::write,
                Clock.systemUTC()).context(new RunSummary.Context(new Shard(2, 2), "fp", cells, false, List.of(),
                List.of())).execute();
        assertThat(ringvm("merge", "--out", tmp.resolve("m").toString(), a.toString(), b.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(b + ": cell ").contains(" is also in " + a);
    }

    @Test
    void shardOptionIsValidated() {
        for (String bad : List.of("0/2", "3/2", "1/0", "x", "1/2/3")) {
            err.getBuffer().setLength(0);
            assertThat(ringvm("run", "--shard", bad, "--kernels", tmp.resolve("none.yaml").toString())).as(bad).isEqualTo(2);
            assertThat(err.toString().strip()).as(bad).startsWith("ringvm: --shard: expected I/N").doesNotContain("\n");
        }
    }
}
