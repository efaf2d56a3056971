package dev.ringvm.run;

import dev.ringvm.config.KernelSource;
import dev.ringvm.guest.ProbeJar;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.probe.protocol.ProbeRecord;
import dev.ringvm.probe.protocol.RecordReader;
import dev.ringvm.probe.protocol.RecordWriter;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.verdict.Judge;
import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real probe, run on this host as {@code host: true} runs it, read by the harness and judged: every line it
 * writes is a record the strict reader accepts and the writer reproduces byte for byte, so a field renamed on
 * either side (or a field one side does not know) fails here, not in a kernel matrix.
 */
class ProtocolRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void theProbesOwnOutputIsReadStrictlyAndJudged() throws Exception {
        Path jar = ProbeJar.locate(dir.resolve("cache"));
        String only = "^(memalign|anon|shared)/sq(1|65|4096)$";
        HostProbeRunner runner = new HostProbeRunner(jar, Duration.ofMinutes(2), "v1", only);
        ResolvedKernel host = new ResolvedKernel("here", new KernelSource.HostSource(), null, null,
                System.getProperty("os.version"), System.getProperty("os.version"), null, null);
        Files.createDirectories(dir.resolve("vm"));
        VmResult vm = runner.run(VmJob.onHost(host), dir.resolve("vm"), "rt1");
        assertThat(vm.complete()).as(vm.status() + " " + vm.detail()).isTrue();

        List<String> lines = Files.readAllLines(vm.resultsLog(), StandardCharsets.US_ASCII);
        assertThat(lines).hasSize(1 + 2 * 9 + 1);
        for (String line : lines) {
            ProbeRecord r = RecordReader.strict().read(line, "rt1");
            assertThat(r).as(line).isNotNull();
            assertThat(RecordWriter.line(r)).isEqualTo(line);
        }
        assertThat(vm.guest().records()).hasSize(lines.size());
        assertThat(vm.guest().cases()).extracting(c -> c.spec().id()).containsExactly(
                "memalign/sq1", "memalign/sq65", "memalign/sq4096", "anon/sq1", "anon/sq65", "anon/sq4096",
                "shared/sq1", "shared/sq65", "shared/sq4096");
        assertThat(vm.guest().cases()).allSatisfy(c -> assertThat(c.sqePageCount()).isPositive());

        Judgement j = Judge.standard(new RunSummary("rt1", Instant.EPOCH, Instant.EPOCH, dir, "host", "", 1,
                List.of(vm), List.of()));
        List<JudgedCase> judged = j.vms().getFirst().cases();
        assertThat(judged).hasSize(9);
        // whatever this host's kernel is, its answer is one the timeline knows for it: never INFRA or REGRESSION
        assertThat(judged).allSatisfy(c -> assertThat(c.verdict()).as(c.id() + ": " + c.reason())
                .isIn(Set.of(Verdict.PASS, Verdict.KNOWN_BUG, Verdict.UNSUPPORTED)));
        assertThat(judged.stream().map(JudgedCase::first).map(Result::spec).toList())
                .isEqualTo(vm.guest().cases().stream().map(Result::spec).toList());
    }
}
