package dev.ringvm.report;

import dev.ringvm.host.AtomicFiles;
import dev.ringvm.model.Shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringvm.config.Expectations;
import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.run.Shards;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.verdict.Judge;
import dev.ringvm.verdict.Judgement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a run directory: {@code run.json} (run and VM metadata, enough to re-render), {@code results.jsonl}
 * (every accepted probe record, tagged with its VM), {@code report.json}, {@code junit.xml}, {@code report.md}
 * and {@code report.html}. Called after every finished VM, so the files always describe everything that
 * finished; each file is replaced atomically. {@link #read} rebuilds the RunSummary from run.json and
 * results.jsonl (or, for run directories written before run.json existed, from report.json's {@code vms}).
 */
public final class RunDirectory {
    private static final ObjectMapper LINE = new ObjectMapper();
    /** Tags results.jsonl adds to each probe record; removed again when reading. */
    private static final Set<String> TAGS = Set.of("vm", "kernel", "memoryMiB");

    private RunDirectory() {}

    public static Judgement write(RunSummary s) throws IOException {
        Files.createDirectories(s.outDir());
        StringBuilder jsonl = new StringBuilder();
        for (VmResult vm : s.vms()) {
            for (ObjectNode rec : vm.guest().records()) {
                ObjectNode tagged = LINE.createObjectNode();
                tagged.put("vm", vm.job().name());
                tagged.put("kernel", vm.job().kernel().id());
                tagged.put("memoryMiB", vm.job().memoryMiB());
                tagged.setAll(rec);
                jsonl.append(LINE.writeValueAsString(tagged)).append('\n');
            }
        }
        AtomicFiles.write(s.outDir().resolve("run.json"), JsonReport.JSON.writeValueAsString(runJson(s)) + "\n");
        AtomicFiles.write(s.outDir().resolve("results.jsonl"), jsonl.toString());
        return render(s);
    }

    /** Re-renders the reports (report.json, junit.xml, report.md, report.html) of a summary. */
    public static Judgement render(RunSummary s) throws IOException {
        Judgement j = Judge.standard(s);
        AtomicFiles.write(s.outDir().resolve("report.json"), JsonReport.JSON.writeValueAsString(JsonReport.build(j)) + "\n");
        AtomicFiles.write(s.outDir().resolve("junit.xml"), JunitReport.render(j));
        AtomicFiles.write(s.outDir().resolve("report.md"), MarkdownReport.render(j));
        AtomicFiles.write(s.outDir().resolve("report.html"), HtmlReport.render(j));
        return j;
    }

    static ObjectNode runJson(RunSummary s) {
        ObjectNode root = LINE.createObjectNode();
        root.put("format", 1);
        root.put("nonce", s.nonce());
        root.put("started", s.started().toString());
        root.put("finished", s.finished().toString());
        root.put("accel", s.accel());
        root.put("accelReason", s.accelReason());
        root.put("plannedVms", s.planned());
        putContext(root, s.context());
        ArrayNode un = root.putArray("unavailable");
        for (UnavailableKernel u : s.unavailable()) un.addObject().put("kernel", u.id()).put("source", u.source()).put("reason", u.reason());
        ArrayNode vms = root.putArray("vms");
        for (VmResult vm : s.vms()) {
            ObjectNode o = vms.addObject();
            ResolvedKernel k = vm.job().kernel();
            o.put("name", vm.job().name());
            o.put("kernel", k.id());
            o.put("source", k.source().describe());
            o.set("sourceSpec", LINE.valueToTree(k.source()));
            o.put("image", String.valueOf(k.image()));
            o.put("imageSha256", k.sha256());
            o.put("imageRelease", k.release());
            o.put("versionString", k.versionString());
            o.put("packageName", k.packageName());
            o.put("packageVersion", k.packageVersion());
            o.put("memoryMiB", vm.job().memoryMiB());
            o.put("repeat", vm.job().repeat());
            if (vm.job().expect() != null) o.set("expect", expectJson(vm.job().expect()));
            o.put("status", vm.status().name());
            o.put("detail", vm.detail());
            o.put("wallMillis", vm.wall().toMillis());
            o.put("accel", vm.accel());
            o.put("consoleLog", relative(s.outDir(), vm.consoleLog()));
            o.put("resultsLog", relative(s.outDir(), vm.resultsLog()));
        }
        return root;
    }

    /** shard, matrix, matrixCells, interrupted, notRun, missingShards: in run.json and report.json's run. */
    static void putContext(ObjectNode o, RunSummary.Context c) {
        if (c.shard() == null) o.putNull("shard");
        else o.putObject("shard").put("index", c.shard().index()).put("count", c.shard().count());
        o.put("matrix", c.matrix());
        ArrayNode cells = o.putArray("matrixCells");
        c.matrixCells().forEach(cells::add);
        o.put("interrupted", c.interrupted());
        ArrayNode notRun = o.putArray("notRun");
        c.notRun().forEach(notRun::add);
        ArrayNode missing = o.putArray("missingShards");
        c.missingShards().forEach(missing::add);
    }

    static RunSummary.Context readContext(JsonNode run) {
        JsonNode sh = run.path("shard");
        Shard shard = sh.isObject() ? new Shard(sh.path("index").asInt(), sh.path("count").asInt()) : null;
        List<String> cells = new ArrayList<>();
        run.path("matrixCells").forEach(n -> cells.add(n.asText()));
        List<String> notRun = new ArrayList<>();
        run.path("notRun").forEach(n -> notRun.add(n.asText()));
        List<Integer> missing = new ArrayList<>();
        run.path("missingShards").forEach(n -> missing.add(n.asInt()));
        return new RunSummary.Context(shard, run.path("matrix").asText(null), cells, run.path("interrupted").asBoolean(false),
                notRun, missing);
    }

    static ObjectNode expectJson(Expectations e) {
        ObjectNode o = LINE.createObjectNode();
        o.put("reason", e.reason());
        if (e.releaseAs() != null) o.put("release-as", e.releaseAs());
        new java.util.TreeMap<>(e.outcomes()).forEach((k, v) -> o.put(k, String.join("|", new java.util.TreeSet<>(v))));
        return o;
    }

    private static String relative(Path dir, Path p) {
        if (p == null) return null;
        Path abs = p.toAbsolutePath().normalize();
        Path base = dir.toAbsolutePath().normalize();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }

    /** Rebuilds the RunSummary of a run directory; IOException with a one-line message when it is not one. */
    public static RunSummary read(Path dir) throws IOException {
        Path runJson = dir.resolve("run.json");
        JsonNode run;
        JsonNode vmList;
        if (Files.exists(runJson)) {
            run = LINE.readTree(runJson.toFile());
            vmList = run.path("vms");
        } else if (Files.exists(dir.resolve("report.json"))) {
            JsonNode report = LINE.readTree(dir.resolve("report.json").toFile());
            run = report.path("run");
            vmList = report.path("vms");
            ((ObjectNode) run).set("unavailable", report.path("unavailable"));
        } else {
            throw new NoSuchFileException(dir + ": not a run directory (no run.json or report.json)");
        }
        String nonce = run.path("nonce").asText();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Path jsonl = dir.resolve("results.jsonl");
        if (Files.exists(jsonl)) {
            for (String l : Files.readAllLines(jsonl)) {
                if (l.isBlank()) continue;
                JsonNode n = LINE.readTree(l);
                if (!(n instanceof ObjectNode obj)) continue;
                String vm = obj.path("vm").asText();
                TAGS.forEach(obj::remove);
                lines.computeIfAbsent(vm, k -> new ArrayList<>()).add(LINE.writeValueAsString(obj));
            }
        }
        List<VmResult> vms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode v : vmList) {
            String name = v.path("name").asText();
            if (!seen.add(name)) continue;
            KernelSource source = v.path("sourceSpec").isObject() ? LINE.treeToValue(v.path("sourceSpec"), KernelSource.class)
                    : KernelSource.fromDescription(v.path("source").asText(null));
            ResolvedKernel k = new ResolvedKernel(v.path("kernel").asText(), source,
                    v.hasNonNull("image") ? Path.of(v.path("image").asText()) : null, v.path("imageSha256").asText(null),
                    v.path("imageRelease").asText(null), v.path("versionString").asText(null),
                    v.path("packageName").asText(null), v.path("packageVersion").asText(null));
            VmJob job = new VmJob(k, v.path("memoryMiB").asInt(), v.path("repeat").asInt(0), expect(v.path("expect")));
            Duration wall = v.has("wallMillis") ? Duration.ofMillis(v.path("wallMillis").asLong())
                    : Duration.ofMillis(Math.round(v.path("wallSeconds").asDouble() * 1000));
            GuestRun guest = GuestRun.parse(lines.getOrDefault(name, List.of()), nonce);
            vms.add(new VmResult(job, VmResult.Status.valueOf(v.path("status").asText("INCOMPLETE")),
                    v.path("detail").asText(""), guest, wall, v.path("accel").asText(null),
                    logPath(dir, v.path("consoleLog").asText(null), name, "console.log"),
                    logPath(dir, v.path("resultsLog").asText(null), name, "results.log")));
        }
        List<UnavailableKernel> unavailable = new ArrayList<>();
        for (JsonNode u : run.path("unavailable")) {
            unavailable.add(new UnavailableKernel(u.path("kernel").asText(), u.path("source").asText(), u.path("reason").asText()));
        }
        return new RunSummary(nonce, Instant.parse(run.path("started").asText()), Instant.parse(run.path("finished").asText()),
                dir, run.path("accel").asText(null), run.path("accelReason").asText(null),
                run.path("plannedVms").asInt(vms.size()), vms, unavailable, false, readContext(run));
    }

    private static Expectations expect(JsonNode n) {
        if (!n.isObject()) return null;
        Map<String, Set<String>> outcomes = new LinkedHashMap<>();
        n.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("reason") && !f.getKey().equals("release-as")) {
                outcomes.put(f.getKey(), Expectations.parseOutcomes(f.getValue().asText()));
            }
        });
        return new Expectations(n.path("reason").asText(), n.path("release-as").asText(null), outcomes);
    }

    /** A log path as recorded, relative to the run directory; the per-VM default when it moved with the directory. */
    private static Path logPath(Path dir, String recorded, String vm, String file) {
        Path local = dir.resolve(vm).resolve(file);
        if (recorded == null) return local;
        Path p = Path.of(recorded);
        Path resolved = p.isAbsolute() ? p : dir.resolve(p);
        return Files.exists(resolved) || !Files.exists(local) ? resolved : local;
    }
}
