package dev.ringvm.probe.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonLineTest {
    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(JsonLine.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(JsonLine.quote("l1\nl2\r\t\b\f")).isEqualTo("\"l1\\nl2\\r\\t\\b\\f\"");
        assertThat(JsonLine.quote("\u0000\u001f\u007f")).isEqualTo("\"\\u0000\\u001f\\u007f\"");
    }

    @Test
    void nonAsciiIsEscapedSoTheLineIsPureAscii() {
        assertThat(JsonLine.quote("é€😀")).isEqualTo("\"\\u00e9\\u20ac\\ud83d\\ude00\"");
    }

    @Test
    void fieldsInCallOrderWithNulls() {
        String json = new JsonLine().str("type", "x").num("n", 5).num("none", (Long) null).str("s", null)
                .bool("b", true).bool("nb", null).num("big", -1L).toString();
        assertThat(json).isEqualTo("{\"type\":\"x\",\"n\":5,\"none\":null,\"s\":null,\"b\":true,\"nb\":null,\"big\":-1}");
    }

    @Test
    void emptyObject() {
        assertThat(new JsonLine().toString()).isEqualTo("{}");
    }
}
