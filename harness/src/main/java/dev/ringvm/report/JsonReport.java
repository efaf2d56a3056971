package dev.ringvm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringvm.run.CaseResult;
import dev.ringvm.run.RunSummary;
import dev.ringvm.run.UnavailableKernel;
import dev.ringvm.run.VmResult;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * report.json: {@code run} (nonce, times, accel, exit code), {@code vms} (one per kernel x memory),
 * {@code unavailable} (kernels that could not be resolved) and {@code cells} (one per probe case with the
 * documented fields first and every other field the probe recorded after them).
 */
public final class JsonReport {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Fields of a probe record that only make sense on the wire. */
    private static final Set<String> WIRE_ONLY = Set.of("type", "nonce");

    private JsonReport() {}

    public static ObjectNode build(RunSummary s) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode run = root.putObject("run");
        run.put("nonce", s.nonce());
        run.put("started", s.started().toString());
        run.put("finished", s.finished().toString());
        run.put("accel", s.accel());
        run.put("accelReason", s.accelReason());
        run.put("plannedVms", s.planned());
        run.put("finishedVms", s.vms().size());
        run.put("exitCode", s.exitCode());

        ArrayNode unavailable = root.putArray("unavailable");
        for (UnavailableKernel u : s.unavailable()) {
            unavailable.addObject().put("kernel", u.id()).put("source", u.source()).put("reason", u.reason());
        }
        ArrayNode vms = root.putArray("vms");
        ArrayNode cells = root.putArray("cells");
        for (VmResult vm : s.vms()) {
            vms.add(vm(vm));
            for (CaseResult c : vm.guest().cases()) cells.add(cell(vm, c));
        }
        return root;
    }

    static ObjectNode vm(VmResult vm) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", vm.job().name());
        o.put("kernel", vm.job().kernel().id());
        o.put("source", vm.job().kernel().source());
        o.put("imageRelease", vm.job().kernel().release());
        o.put("imageSha256", vm.job().kernel().sha256());
        o.put("release", vm.guest().release());
        o.put("memoryMiB", vm.job().memoryMiB());
        o.put("status", vm.status().name());
        o.put("detail", vm.detail());
        o.put("wallSeconds", vm.wall().toMillis() / 1000.0);
        o.put("accel", vm.accel());
        o.put("cases", vm.guest().cases().size());
        o.put("interruptedCase", vm.guest().interruptedCase().orElse(null));
        o.put("consoleLog", String.valueOf(vm.consoleLog()));
        o.put("resultsLog", String.valueOf(vm.resultsLog()));
        o.set("header", stripWire(vm.guest().header()));
        o.set("end", stripWire(vm.guest().end()));
        return o;
    }

    static ObjectNode cell(VmResult vm, CaseResult c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kernel", vm.job().kernel().id());
        o.put("release", vm.guest().release());
        o.put("memoryMiB", vm.job().memoryMiB());
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
        for (Iterator<Map.Entry<String, JsonNode>> it = c.raw().fields(); it.hasNext(); ) {
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
