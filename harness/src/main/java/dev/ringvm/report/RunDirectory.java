package dev.ringvm.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.DirectoryLock;
import dev.ringvm.model.VmResult;
import dev.ringvm.probe.protocol.JsonLine;
import dev.ringvm.probe.protocol.ProbeRecord;
import dev.ringvm.probe.protocol.RecordReader;
import dev.ringvm.probe.protocol.RecordWriter;
import dev.ringvm.verdict.Judge;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.vm.ConsoleScanner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run directory: {@code run.json} (run and VM metadata, enough to re-render; {@link RunFile}),
 * {@code results.jsonl} (every accepted probe record, tagged with its VM), {@code report.json}, {@code junit.xml},
 * {@code report.md} and {@code report.html}. Called after every finished VM, so the files always describe
 * everything that finished; each file is replaced atomically. {@link #read} rebuilds the RunSummary from run.json
 * and results.jsonl (or, for run directories written before run.json existed, from report.json's {@code vms}).
 */
public final class RunDirectory {
    /** run.json and report.json: indented, ordered as the records declare their fields. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RunDirectory() {}

    public static Judgement write(RunSummary s) throws IOException {
        Files.createDirectories(s.outDir());
        StringBuilder jsonl = new StringBuilder();
        for (VmResult vm : s.vms()) {
            for (ProbeRecord rec : vm.guest().records()) {
                JsonLine tagged = new JsonLine().str("vm", vm.job().name()).str("kernel", vm.job().kernel().id())
                        .num("memoryMiB", vm.job().memoryMiB());
                jsonl.append(RecordWriter.line(tagged, rec)).append('\n');
            }
        }
        AtomicFiles.write(s.outDir().resolve("run.json"), JSON.writeValueAsString(RunFile.of(s)) + "\n");
        AtomicFiles.write(s.outDir().resolve("results.jsonl"), jsonl.toString());
        return render(s);
    }

    /** The judgement of a summary, without writing anything (what a run prints when its disk is full). */
    public static Judgement judge(RunSummary s) {
        return Judge.standard(s);
    }

    /** Re-renders the reports (report.json, junit.xml, report.md, report.html) of a summary. */
    public static Judgement render(RunSummary s) throws IOException {
        Judgement j = Judge.standard(s);
        AtomicFiles.write(s.outDir().resolve("report.json"), JSON.writeValueAsString(JsonReport.build(j)) + "\n");
        AtomicFiles.write(s.outDir().resolve("junit.xml"), JunitReport.render(j));
        AtomicFiles.write(s.outDir().resolve("report.md"), MarkdownReport.render(j));
        AtomicFiles.write(s.outDir().resolve("report.html"), HtmlReport.render(j));
        return j;
    }

    /** Rebuilds the RunSummary of a run directory; IOException with a one-line message when it is not one. */
    public static RunSummary read(Path dir) throws IOException {
        Path runJson = dir.resolve("run.json");
        RunFile run;
        if (Files.exists(runJson)) {
            run = JSON.readValue(runJson.toFile(), RunFile.class);
        } else if (Files.exists(dir.resolve("report.json"))) {
            run = JSON.readValue(dir.resolve("report.json").toFile(), OldReport.class).asRunFile();
        } else {
            throw new NoSuchFileException(dir + ": not a run directory (no run.json or report.json)");
        }
        Map<String, List<ProbeRecord>> records = new LinkedHashMap<>();
        Path jsonl = dir.resolve("results.jsonl");
        if (Files.exists(jsonl)) {
            for (String l : Files.readAllLines(jsonl)) {
                Map<String, Object> fields = RecordReader.object(l);
                if (fields == null || !run.nonce().equals(fields.get("nonce"))) continue;
                Object vm = fields.remove("vm");
                fields.remove("kernel");
                fields.remove("memoryMiB");
                ProbeRecord r = RecordReader.lenient().record(fields);
                if (r != null && vm instanceof String name) records.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, GuestRun> guests = new LinkedHashMap<>();
        records.forEach((vm, rs) -> guests.put(vm, GuestRun.of(rs)));
        RunSummary s = run.toSummary(dir, guests, ConsoleScanner::facts);
        if (run.running() && DirectoryLock.holder(dir).isEmpty()) return abandoned(s, run.pid());
        return s;
    }

    /**
     * A run directory whose run.json still says "running" while nobody holds its lock: the ringvm that wrote it was
     * killed (SIGKILL, a crash, the machine went down) before it could record its end. What it had finished stays;
     * the rest is not run, and the run is an infrastructure failure (exit 3).
     */
    static RunSummary abandoned(RunSummary s, Long pid) {
        RunSummary.Stop stop = new RunSummary.Stop("ringvm" + (pid == null ? "" : " (pid " + pid + ")")
                + " was killed before the run finished", dev.ringvm.model.ExitCode.INFRA.code());
        RunSummary.Context c = s.context().interrupted(s.context().notRun()).running(false).stopped(stop);
        return new RunSummary(s.nonce(), s.started(), s.finished(), s.outDir(), s.accel(), s.accelReason(), s.planned(),
                s.vms(), s.unavailable(), s.requireAll(), c);
    }

    /** report.json as directories written before run.json existed hold it: the run, then its VMs. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    private record OldReport(RunFile run, List<dev.ringvm.model.UnavailableKernel> unavailable, List<RunFile.Vm> vms) {
        RunFile asRunFile() {
            return new RunFile(1, run.nonce(), null, null, run.started(), run.finished(), run.accel(),
                    run.accelReason(), run.plannedVms(), run.shard(), run.matrix(), run.matrixCells(), run.interrupted(),
                    null, run.notRun(), run.missingShards(), unavailable, vms);
        }
    }
}
