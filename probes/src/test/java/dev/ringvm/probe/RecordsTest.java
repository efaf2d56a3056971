package dev.ringvm.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RecordsTest {
    private static final Pattern KEY = Pattern.compile("\"([A-Za-z]+)\":");

    private static List<String> keys(String json) {
        List<String> k = new ArrayList<>();
        Matcher m = KEY.matcher(json);
        while (m.find()) {
            k.add(m.group(1));
        }
        return k;
    }

    static final List<String> BEGIN = List.of("type", "nonce", "case", "id", "backing", "sqEntries", "cqEntries",
            "cqsize");

    @Test
    void headerFieldsInDocumentedOrder() {
        Records.Host h = new Records.Host("6.5.0", "x86_64", 4096, 2048L, 0L, 0L, null, -1L, -1L, null, 0L,
                2480L, 2950L);
        String json = Records.header("n1", h, "default", 75);
        assertThat(keys(json)).containsExactly("type", "nonce", "probeVersion", "release", "machine", "pageSize",
                "hugePageSizeKiB", "hugePagesTotal", "hugePagesFree", "thpEnabled", "memlockSoft", "memlockHard",
                "ioUringDisabled", "tainted", "grid", "cases", "processStartMillis", "uptimeMillis");
        assertThat(json).contains("\"thpEnabled\":null", "\"ioUringDisabled\":null", "\"memlockSoft\":-1");
    }

    @Test
    void beginAndResultFieldsInDocumentedOrder() {
        CaseSpec c = Grid.defaultGrid().get(58);
        assertThat(keys(Records.begin("n", c))).containsExactlyElementsOf(BEGIN);
        CaseResult r = new CaseResult(c);
        r.result = "ALLOC_FAILED";
        r.errno = 12;
        r.allocError = "mmap: ENOMEM";
        r.prediction = Prediction.formula(c);
        String json = Records.result("n", r);
        List<String> expected = new ArrayList<>(BEGIN);
        expected.set(0, "type");
        expected.addAll(List.of("flags", "actualSq", "actualCq", "predictedSq", "predictedCq", "cqesOffset",
                "sqArrayOffset", "sqeBytes", "sqePages", "ringBytes", "ringPages", "result", "errno", "ringWorks",
                "ringError", "guardsIntact", "sqePageKiB", "ringPageKiB", "sqeContiguous", "ringContiguous",
                "sqeFirstGap", "ringFirstGap", "fallbackOk", "fallbackResult", "allocError", "micros"));
        assertThat(keys(json)).containsExactlyElementsOf(expected);
        assertThat(json).startsWith("{\"type\":\"result\",\"nonce\":\"n\",\"case\":58,\"id\":\"hugetlb/sq1024/cq65536\"")
                .contains("\"result\":\"ALLOC_FAILED\",\"errno\":12", "\"guardsIntact\":null");
    }

    @Test
    void endRecord() {
        assertThat(Records.end("n", 75, 0L, 1234, 9876L)).isEqualTo(
                "{\"type\":\"end\",\"nonce\":\"n\",\"count\":75,\"tainted\":0,\"micros\":1234,\"uptimeMillis\":9876}");
    }
}
