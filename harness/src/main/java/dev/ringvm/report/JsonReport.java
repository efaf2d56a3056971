package dev.ringvm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringvm.model.CaseClass;
import dev.ringvm.model.CaseResult;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmResult;
import dev.ringvm.verdict.Finding;
import dev.ringvm.verdict.Judge;
import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * report.json, schema in docs/report-schema.md: {@code run}, {@code totals}, {@code unavailable}, {@code vms}
 * (one per boot), {@code rows} (one per kernel x memory with its verdict and its heatmap columns) and
 * {@code cells} (one per probe case of a kernel x memory, with the documented fields first, then
 * {@code verdict}, {@code reason}, the outcome of every repeat, then every other field the probe recorded).
 */
public final class JsonReport {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Fields of a probe record that only make sense on the wire. */
    private static final Set<String> WIRE_ONLY = Set.of("type", "nonce");

    private JsonReport() {}

    public static ObjectNode build(Judgement j) {
        RunSummary s = j.run();
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", "ringvm-report/2");
        ObjectNode run = root.putObject("run");
        run.put("nonce", s.nonce());
        run.put("started", s.started().toString());
        run.put("finished", s.finished().toString());
        run.put("accel", s.accel());
        run.put("accelReason", s.accelReason());
        run.put("plannedVms", s.planned());
        run.put("finishedVms", s.vms().size());
        run.put("exitCode", j.exitCode());
        RunDirectory.putContext(run, s.context());
        ObjectNode totals = root.putObject("totals");
        j.totals().forEach((v, n) -> totals.put(v.name(), n));
        ObjectNode vmTotals = root.putObject("vmIssues");
        j.vmTotals().forEach((v, n) -> vmTotals.put(v.name(), n));

        ArrayNode unavailable = root.putArray("unavailable");
        for (UnavailableKernel u : s.unavailable()) {
            unavailable.addObject().put("kernel", u.id()).put("source", u.source()).put("reason", u.reason());
        }
        ArrayNode vms = root.putArray("vms");
        ArrayNode rows = root.putArray("rows");
        ArrayNode cells = root.putArray("cells");
        for (JudgedVm row : j.vms()) {
            for (VmResult vm : row.boots()) vms.add(vm(vm, row.findings().getOrDefault(vm.job().name(), List.of())));
            rows.add(row(row));
            for (JudgedCase c : row.cases()) cells.add(cell(row, c));
        }
        return root;
    }

    static ObjectNode row(JudgedVm row) {
        ObjectNode o = JSON.createObjectNode();
        o.put("cell", row.cell());
        o.put("kernel", row.kernel());
        o.put("release", row.release());
        o.put("memoryMiB", row.memoryMiB());
        o.put("boots", row.boots().size());
        o.put("verdict", row.verdict().name());
        ArrayNode issues = o.putArray("issues");
        for (JudgedVm.Issue i : row.issues()) {
            issues.addObject().put("boot", i.boot()).put("verdict", i.verdict().name()).put("reason", i.reason())
                    .put("excerpt", i.excerpt());
        }
        ObjectNode cols = o.putObject("columns");
        for (String c : CaseClass.COLUMNS) {
            JudgedVm.Column col = row.column(c);
            if (col.total() == 0) continue;
            JudgedCase rep = col.representative();
            cols.putObject(c).put("verdict", col.verdict().name()).put("summary", col.summary())
                    .put("total", col.total()).put("passed", col.passed()).put("reason", rep == null ? null : rep.reason());
        }
        return o;
    }

    static ObjectNode vm(VmResult vm, List<Finding> findings) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", vm.job().name());
        o.put("cell", vm.job().cell());
        o.put("repeat", vm.job().repeat());
        o.put("kernel", vm.job().kernel().id());
        o.put("source", vm.job().kernel().source().describe());
        o.put("imageRelease", vm.job().kernel().release());
        o.put("imageSha256", vm.job().kernel().sha256());
        o.put("release", vm.guest().release());
        o.put("memoryMiB", vm.job().memoryMiB());
        o.put("status", vm.status().name());
        o.put("detail", vm.detail());
        o.put("wallSeconds", vm.wall().toMillis() / 1000.0);
        Double boot = Judge.bootSeconds(vm.consoleLog());
        if (boot == null) o.putNull("bootSeconds"); else o.put("bootSeconds", boot);
        JsonNode end = vm.guest().end();
        if (end != null && end.path("micros").isNumber()) o.put("runSeconds", end.path("micros").asLong() / 1e6);
        else o.putNull("runSeconds");
        o.put("accel", vm.accel());
        o.put("cases", vm.guest().cases().size());
        o.put("interruptedCase", vm.guest().interruptedCase().orElse(null));
        o.put("consoleLog", String.valueOf(vm.consoleLog()));
        o.put("resultsLog", String.valueOf(vm.resultsLog()));
        if (vm.job().expect() != null) o.set("expect", RunDirectory.expectJson(vm.job().expect()));
        ArrayNode f = o.putArray("findings");
        for (Finding x : findings) {
            f.addObject().put("kind", x.kind().name()).put("line", x.line()).put("text", x.text()).put("excerpt", x.excerpt());
        }
        o.set("header", stripWire(vm.guest().header()));
        o.set("end", stripWire(end));
        return o;
    }

    static ObjectNode cell(JudgedVm row, JudgedCase jc) {
        CaseResult c = jc.first();
        ObjectNode o = JSON.createObjectNode();
        o.put("kernel", row.kernel());
        o.put("release", row.release());
        o.put("memoryMiB", row.memoryMiB());
        o.put("caseClass", c.caseClass());
        o.put("id", c.id());
        o.put("backing", c.backing());
        o.put("sqEntries", c.sqEntries());
        if (c.cqEntries() == null) o.putNull("cqEntries"); else o.put("cqEntries", c.cqEntries());
        o.put("cqsize", c.cqsize());
        o.put("ringPages", c.ringPages());
        o.put("sqePages", c.sqePages());
        o.put("result", c.result());
        o.put("errno", c.errno());
        o.put("ringWorks", c.ringWorks());
        o.put("fallbackOk", c.fallbackOk());
        o.put("verdict", jc.verdict().name());
        o.put("reason", jc.reason());
        o.put("expected", jc.expectation().allowedText());
        o.put("outcome", jc.outcome());
        ArrayNode repeats = o.putArray("repeats");
        for (CaseResult r : jc.observations()) repeats.add(r.outcome());
        for (Iterator<Map.Entry<String, JsonNode>> it = c.raw().properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!o.has(f.getKey()) && !WIRE_ONLY.contains(f.getKey())) o.set(f.getKey(), f.getValue());
        }
        return o;
    }

    static JsonNode stripWire(JsonNode n) {
        if (!(n instanceof ObjectNode obj)) return null;
        ObjectNode copy = obj.deepCopy();
        WIRE_ONLY.forEach(copy::remove);
        return copy;
    }
}
