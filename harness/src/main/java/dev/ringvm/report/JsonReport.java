package dev.ringvm.report;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ringvm.config.Expectations;
import dev.ringvm.model.Finding;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.Shard;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmResult;
import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.probe.protocol.Header;
import dev.ringvm.probe.protocol.ProbeRecord;
import dev.ringvm.probe.protocol.RecordWriter;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * report.json, schema in docs/report-schema.md, as records Jackson writes: {@code run}, {@code totals},
 * {@code unavailable}, {@code vms} (one per boot), {@code rows} (one per kernel x memory with its verdict and its
 * heatmap columns) and {@code cells} (one per probe case of a kernel x memory, with the documented fields first,
 * then {@code verdict}, {@code reason}, the outcome of every repeat, then every other field the probe recorded).
 */
final class JsonReport {
    /** Fields of a probe record that only make sense on the wire. */
    private static final Set<String> WIRE_ONLY = Set.of("type", "nonce");

    private JsonReport() {}

    record Report(String schema, Run run, Map<Verdict, Integer> totals, Map<Verdict, Integer> vmIssues,
                  List<UnavailableKernel> unavailable, List<Vm> vms, List<Row> rows, List<Cell> cells) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Run(String nonce, String started, String finished, String accel, String accelReason, int plannedVms,
               int finishedVms, int exitCode, Shard shard, String matrix, List<String> matrixCells,
               boolean interrupted, List<String> notRun, List<Integer> missingShards, String state,
               String stoppedBy, boolean nothingTested) {}

    record Issue(String boot, Verdict verdict, String reason, String excerpt) {}

    record Column(Verdict verdict, String summary, int total, int passed, String reason) {}

    record Row(String cell, String kernel, String release, String arch, int pageKiB, Long hugePageKiB, int memoryMiB,
               int boots, Verdict verdict, List<Issue> issues, Map<String, Column> columns) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Vm(String name, String cell, int repeat, String kernel, String arch, int imagePageKiB, String source,
              String imageRelease, String imageSha256, String release, int memoryMiB, VmResult.Status status, String detail,
              double wallSeconds, Double bootSeconds, Double runSeconds, String accel, int cases,
              String interruptedCase, String consoleLog, String resultsLog,
              @JsonInclude(JsonInclude.Include.NON_NULL) Expectations expect, List<Finding> findings,
              Map<String, Object> header, Map<String, Object> end, List<VmResult.Attempt> attempts) {}

    /** One case: the documented fields, the judgement, then every other field of the probe's result record. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Cell(String kernel, String release, String arch, int pageKiB, int memoryMiB, String caseClass, String id, String backing,
                int sqEntries, Integer cqEntries, boolean cqsize, int ringPages, int sqePages, String result,
                int errno, boolean ringWorks, boolean fallbackOk, Verdict verdict, String reason, String expected,
                String outcome, List<String> repeats, @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> probe) {
        @JsonAnyGetter
        Map<String, Object> probeFields() {
            return probe;
        }
    }

    public static Report build(Judgement j) {
        RunSummary s = j.run();
        RunSummary.Context c = s.context();
        Run run = new Run(s.nonce(), s.started().toString(), s.finished().toString(), s.accel(), s.accelReason(),
                s.planned(), s.vms().size(), RunStatus.exitCode(j), c.shard(), c.matrix(), c.matrixCells(),
                c.interrupted(), c.notRun(), c.missingShards(),
                c.running() ? RunFile.RUNNING : c.interrupted() ? RunFile.STOPPED : RunFile.FINISHED,
                c.stop() == null ? null : c.stop().reason(), s.nothingTested());
        List<Vm> vms = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        List<Cell> cells = new ArrayList<>();
        for (JudgedVm row : j.vms()) {
            for (VmResult vm : row.boots()) vms.add(vm(vm));
            rows.add(row(row));
            for (JudgedCase jc : row.cases()) cells.add(cell(row, jc));
        }
        return new Report("ringvm-report/2", run, j.totals(), j.vmTotals(), s.unavailable(), vms, rows, cells);
    }

    static Row row(JudgedVm row) {
        List<Issue> issues = row.issues().stream()
                .map(i -> new Issue(i.boot(), i.verdict(), i.reason(), i.excerpt())).toList();
        Map<String, Column> cols = new LinkedHashMap<>();
        for (CaseClass cc : CaseClass.values()) {
            JudgedVm.Column col = row.column(cc);
            if (col.total() == 0) continue;
            JudgedCase rep = col.representative();
            cols.put(cc.column(), new Column(col.verdict(), col.summary(), col.total(), col.passed(),
                    rep == null ? null : rep.reason()));
        }
        return new Row(row.cell(), row.kernel(), row.release(), row.arch().id(), row.pageKiB(), row.hugePageKiB(),
                row.memoryMiB(), row.boots().size(), row.verdict(), issues, cols);
    }

    static Vm vm(VmResult vm) {
        var end = vm.guest().end();
        Header header = vm.guest().header();
        return new Vm(vm.job().name(), vm.job().cell(), vm.job().repeat(), vm.job().kernel().id(),
                vm.job().kernel().arch().id(), vm.job().kernel().pageKiB(), vm.job().kernel().source().describe(), vm.job().kernel().release(), vm.job().kernel().sha256(),
                vm.guest().release(), vm.job().memoryMiB(), vm.status(), vm.detail(), vm.wall().toMillis() / 1000.0,
                vm.console().bootSeconds(), end == null ? null : end.micros() / 1e6, vm.accel(),
                vm.guest().cases().size(), vm.guest().interruptedCase().orElse(null), String.valueOf(vm.consoleLog()),
                String.valueOf(vm.resultsLog()), vm.job().expect(), vm.console().findings(), stripWire(header),
                stripWire(end), vm.attempts());
    }

    static Cell cell(JudgedVm row, JudgedCase jc) {
        Result c = jc.first();
        Map<String, Object> probe = stripWire(c);
        Cell cell = new Cell(row.kernel(), row.release(), row.arch().id(), row.pageKiB(), row.memoryMiB(),
                c.caseClass().column(), c.spec().id(),
                c.spec().backing().id(), c.spec().sqEntries(), c.spec().recordedCq(), c.spec().cqsize(),
                c.ringPageCount(), c.sqePageCount(), c.result(), c.errno(), c.ringWorks(), c.fallbackWorked(),
                jc.verdict(), jc.reason(), jc.expectation().allowedText(), jc.outcome(),
                jc.observations().stream().map(Result::outcome).toList(), probe);
        probe.keySet().removeAll(CELL_FIELDS);
        return cell;
    }

    /** The fields {@link Cell} names itself; the probe's record supplies the rest. */
    private static final Set<String> CELL_FIELDS = Set.of("kernel", "release", "arch", "pageKiB", "memoryMiB",
            "caseClass", "id",
            "backing", "sqEntries", "cqEntries", "cqsize", "ringPages", "sqePages", "result", "errno", "ringWorks",
            "fallbackOk", "verdict", "reason", "expected", "outcome", "repeats");

    static Map<String, Object> stripWire(ProbeRecord r) {
        if (r == null) return null;
        Map<String, Object> m = RecordWriter.fields(r);
        WIRE_ONLY.forEach(m::remove);
        return m;
    }
}
