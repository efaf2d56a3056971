package dev.ringvm.probe.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/probe-records.md is the reference: its tables list every field the writer writes, in order. */
class ProtocolDocTest {
    static Map<String, List<String>> documented() throws IOException {
        Path doc = Path.of("../docs/probe-records.md");
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(doc)) {
            if (line.startsWith("## ")) {
                current = new ArrayList<>();
                out.put(line.substring(3).strip(), current);
            } else if (current != null && line.startsWith("| ") && !line.startsWith("| field ")) {
                for (String f : line.split("\\|")[1].split("/")) current.add(f.strip());
            }
        }
        return out;
    }

    @Test
    void everyRecordsTableMatchesTheWriter() throws IOException {
        Map<String, List<String>> doc = documented();
        assertThat(doc.get("header")).containsExactlyElementsOf(RecordWriter.fields(Samples.header()).keySet());
        assertThat(doc.get("begin")).containsExactlyElementsOf(RecordWriter.fields(Samples.begin()).keySet());
        List<String> result = new ArrayList<>(doc.get("begin"));
        result.addAll(doc.get("result"));
        assertThat(result).containsExactlyElementsOf(RecordWriter.fields(Samples.result()).keySet());
        assertThat(doc.get("end")).containsExactlyElementsOf(RecordWriter.fields(Samples.end()).keySet());
    }

    @Test
    void theWriterWritesEveryFieldOfASampleWithAValue() {
        for (ProbeRecord r : List.of(Samples.header(), Samples.begin(), Samples.result(), Samples.end())) {
            assertThat(RecordWriter.fields(r)).as(RecordWriter.type(r)).doesNotContainValue(null);
        }
    }
}
