package dev.ringvm.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * report.html: one self-contained file (inline CSS and JS, no network): a heatmap of kernel x memory rows by
 * case class columns, coloured by verdict with the outcome in each cell, and a detail panel for the selected
 * cell (its reason, every case with all record fields, the VM's boot data and console excerpt). The data is
 * report.json embedded as JSON; the heatmap itself is static HTML, readable without JS. The page is the template
 * {@code report.html.mustache} (a resource); {@link #model} is all it reads from the judgement.
 */
final class HtmlReport {
    /** Text goes into elements and double-quoted attributes: these four characters are all that need escaping. */
    private static final Template PAGE = Mustache.compiler()
            .withEscaper(Escapers.simple(new String[][] {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}}))
            .nullValue("")
            .compile(resource("report.html.mustache"));

    private HtmlReport() {}

    public static String render(Judgement j) {
        return PAGE.execute(model(j));
    }

    /** What the page shows, from the judgement: the only place that reads it. */
    static Map<String, Object> model(Judgement j) {
        String json;
        try {
            json = RunDirectory.JSON.writeValueAsString(JsonReport.build(j));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        int exit = j.exitCode().code();
        m.put("exit", exit);
        m.put("exitText", switch (exit) { case 0 -> "nothing unexpected"; case 1 -> "unexpected results"; default -> "infrastructure problems"; });
        m.put("started", j.run().started().toString());
        m.put("boots", j.run().vms().size());
        m.put("planned", j.run().planned());
        m.put("accel", j.run().accel());
        m.put("nonce", j.run().nonce());
        List<Map<String, Object>> totals = new ArrayList<>();
        j.totals().forEach((v, n) -> totals.add(fields("name", v.name(), "label", v.label(), "count", n)));
        m.put("totals", totals);
        List<Map<String, Object>> vmTotals = new ArrayList<>();
        j.vmTotals().forEach((v, n) -> vmTotals.add(fields("name", v.name(), "label", v.label(), "count", n)));
        m.put("vmTotals", vmTotals);
        m.put("columns", java.util.Arrays.stream(CaseClass.values()).map(CaseClass::title).toList());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JudgedVm vm : j.vms()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("row", rows.size());
            row.put("kernel", vm.kernel());
            row.put("release", vm.release());
            row.put("pages", vm.pagesLabel());
            row.put("memory", vm.boots().getFirst().job().memoryLabel() + (vm.boots().size() > 1 ? " ×" + vm.boots().size() : ""));
            row.put("vmVerdict", vm.issues().stream().map(JudgedVm.Issue::verdict).reduce(Verdict.PASS, Verdict::worst).name());
            row.put("vmText", vm.complete() ? (vm.issues().isEmpty() ? "ok" : "findings") : "INFRA");
            List<Map<String, Object>> cells = new ArrayList<>();
            for (CaseClass c : CaseClass.values()) {
                JudgedVm.Column col = vm.column(c);
                cells.add(col.total() == 0 ? fields("empty", true) : fields("empty", false, "column", c.column(),
                        "verdict", col.verdict().name(), "label", col.verdict().label(),
                        "reason", col.representative().reason(), "summary", col.summary()));
            }
            row.put("cells", cells);
            rows.add(row);
        }
        m.put("rows", rows);
        List<Map<String, Object>> legend = new ArrayList<>();
        for (Verdict v : Verdict.values()) legend.add(fields("name", v.name(), "label", v.label()));
        m.put("legend", legend);
        List<Map<String, Object>> unavailable = new ArrayList<>();
        for (UnavailableKernel u : j.run().unavailable()) unavailable.add(fields("id", u.id(), "reason", u.reason()));
        m.put("unavailable", unavailable);
        m.put("json", json.replace("</", "<\\/"));
        return m;
    }

    /** Name, value, name, value...: a template scope (values may be null: the template prints nothing). */
    private static Map<String, Object> fields(Object... nameValue) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) m.put((String) nameValue[i], nameValue[i + 1]);
        return m;
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
