package dev.ringvm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one VM's probe said, parsed from the results channel. Lines without the run's nonce (or not JSON) are
 * ignored: the serial port may carry garbage after a crash, and a stale file must never pass for this run.
 *
 * @param header   the header record, null when the probe never started
 * @param cases    result records in case order
 * @param begins   begin records (a begin without result names the case a crash or hang interrupted)
 * @param end      the end record, null when the grid did not complete
 * @param records  every accepted record, in order, for results.jsonl
 */
public record GuestRun(JsonNode header, List<CaseResult> cases, List<JsonNode> begins, JsonNode end,
                       List<ObjectNode> records) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static GuestRun parse(Path resultsFile, String nonce) {
        if (!Files.exists(resultsFile)) return parse(List.of(), nonce);
        try {
            // serial output may contain NULs or invalid UTF-8 after a crash: decode leniently
            String text = new String(Files.readAllBytes(resultsFile), StandardCharsets.UTF_8);
            return parse(text.lines().toList(), nonce);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One line of the results channel as a record of this run: the JSON object from its first '{' (a
     * console-style prefix such as \r or stray bytes is tolerated), or null when it is not JSON or lacks the nonce.
     */
    public static ObjectNode record(String line, String nonce) {
        int brace = line.indexOf('{');
        if (brace < 0) return null;
        try {
            JsonNode n = JSON.readTree(line.substring(brace));
            return n instanceof ObjectNode obj && nonce.equals(n.path("nonce").asText(null)) ? obj : null;
        } catch (IOException e) {
            return null;
        }
    }

    public static GuestRun parse(List<String> lines, String nonce) {
        JsonNode header = null;
        JsonNode end = null;
        List<CaseResult> cases = new ArrayList<>();
        List<JsonNode> begins = new ArrayList<>();
        List<ObjectNode> records = new ArrayList<>();
        for (String line : lines) {
            ObjectNode obj = record(line, nonce);
            if (obj == null) continue;
            JsonNode n = obj;
            records.add(obj);
            switch (n.path("type").asText("")) {
                case "header" -> header = n;
                case "begin" -> begins.add(n);
                case "result" -> cases.add(CaseResult.from(n));
                case "end" -> end = n;
                default -> { }
            }
        }
        return new GuestRun(header, List.copyOf(cases), List.copyOf(begins), end, List.copyOf(records));
    }

    /** The probe ran to its end record and every begun case has its result. */
    public boolean complete() {
        return header != null && end != null && end.path("count").asInt(-1) == cases.size();
    }

    /** The case that was running when the record stream stopped: the last begin without a result. */
    public Optional<String> interruptedCase() {
        if (begins.isEmpty()) return Optional.empty();
        JsonNode last = begins.getLast();
        int idx = last.path("case").asInt(-1);
        boolean answered = cases.stream().anyMatch(c -> c.index() == idx);
        return answered ? Optional.empty() : Optional.of(last.path("id").asText("case " + idx));
    }

    public String release() {
        return header == null ? null : header.path("release").asText(null);
    }
}
