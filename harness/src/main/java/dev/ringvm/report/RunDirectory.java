package dev.ringvm.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringvm.run.RunSummary;
import dev.ringvm.run.VmResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a run directory: {@code results.jsonl} (every accepted probe record, tagged with its VM),
 * {@code report.json} and {@code junit.xml}. Called after every finished VM, so the files always describe
 * everything that finished; each file is replaced atomically.
 */
public final class RunDirectory {
    private static final ObjectMapper LINE = new ObjectMapper();

    private RunDirectory() {}

    public static void write(RunSummary s) throws IOException {
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
        AtomicFiles.write(s.outDir().resolve("results.jsonl"), jsonl.toString());
        AtomicFiles.write(s.outDir().resolve("report.json"),
                JsonReport.JSON.writeValueAsString(JsonReport.build(s)) + "\n");
        AtomicFiles.write(s.outDir().resolve("junit.xml"), JunitReport.render(s));
    }
}
