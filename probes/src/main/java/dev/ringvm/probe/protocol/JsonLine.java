package dev.ringvm.probe.protocol;

/**
 * Builds one JSON object on one line, fields in call order. Output is pure ASCII: control characters,
 * quotes, backslashes and every non-ASCII char are escaped, so a serial line never sees a raw multi-byte char.
 */
public final class JsonLine {
    private final StringBuilder sb = new StringBuilder(512).append('{');
    private boolean first = true;

    private StringBuilder key(String name) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        quote(sb, name);
        return sb.append(':');
    }

    public JsonLine str(String name, String value) {
        StringBuilder b = key(name);
        if (value == null) {
            b.append("null");
        } else {
            quote(b, value);
        }
        return this;
    }

    public JsonLine num(String name, long value) {
        key(name).append(value);
        return this;
    }

    /** A number, or null. */
    public JsonLine num(String name, Long value) {
        StringBuilder b = key(name);
        if (value == null) {
            b.append("null");
        } else {
            b.append(value.longValue());
        }
        return this;
    }

    public JsonLine num(String name, Integer value) {
        return num(name, value == null ? null : Long.valueOf(value.longValue()));
    }

    public JsonLine bool(String name, Boolean value) {
        key(name).append(value == null ? "null" : value ? "true" : "false");
        return this;
    }

    /** The finished object, without a line terminator. */
    @Override
    public String toString() {
        return sb + "}";
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        b.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15])
                                .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(b, s);
        return b.toString();
    }
}
