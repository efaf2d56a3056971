package dev.ringvm.probe.protocol;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one reader of the guest protocol: a line of the results channel back into a typed {@link ProbeRecord}.
 * {@link #strict()} refuses a record with a field it does not know or without one it needs (the round-trip
 * tests read the real probe's output with it, so a field renamed on either side fails them); {@link #lenient()}
 * reads what it can, for run directories written by an older probe. Both ignore a line that is not a JSON object
 * or carries another nonce: the serial port may hold garbage after a crash, and a stale file must never pass for
 * this run.
 */
public final class RecordReader {
    private static final RecordReader STRICT = new RecordReader(true);
    private static final RecordReader LENIENT = new RecordReader(false);

    private final boolean strict;

    private RecordReader(boolean strict) {
        this.strict = strict;
    }

    public static RecordReader strict() {
        return STRICT;
    }

    public static RecordReader lenient() {
        return LENIENT;
    }

    /** A line the protocol cannot accept; only a strict reader throws it. */
    public static final class ProtocolException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }

    /**
     * The record of run {@code nonce} on {@code line} (from its first '{': a console-style prefix such as \r is
     * tolerated), or null when the line is not a JSON object or carries another nonce.
     */
    public ProbeRecord read(String line, String nonce) {
        Map<String, Object> fields = object(line);
        if (fields == null || !nonce.equals(fields.get("nonce"))) return null;
        return record(fields);
    }

    /**
     * The record {@code fields} hold (as {@link #object} parsed them; the caller may have removed its own tags),
     * or null from a lenient reader when they are not a record it knows.
     */
    public ProbeRecord record(Map<String, Object> fields) {
        Fields f = new Fields(fields);
        try {
            String type = f.str("type");
            String nonce = f.str("nonce");
            ProbeRecord r = switch (type == null ? "" : type) {
                case "header" -> new Header(nonce, f.str("probeVersion"), f.str("release"), f.str("machine"),
                        f.integer("pageSize"), f.optLong("hugePageSizeKiB"), f.optLong("hugePagesTotal"),
                        f.optLong("hugePagesFree"), f.str("thpEnabled"), f.optLong("thpPmdSizeKiB"), f.optLong("memlockSoft"),
                        f.optLong("memlockHard"), f.optLong("uid"), f.optBool("capIpcLock"), f.optLong("ioUringDisabled"), f.optLong("tainted"), f.str("grid"),
                        f.optInteger("cases"), f.optLong("processStartMillis"), f.optLong("uptimeMillis"));
                case "begin" -> new Begin(nonce, spec(f));
                case "result" -> result(nonce, f);
                case "end" -> new End(nonce, f.integer("count"), f.optLong("tainted"), f.longValue("micros"),
                        f.optLong("uptimeMillis"));
                default -> throw new ProtocolException("unknown record type \"" + type + "\"");
            };
            f.requireAllRead();
            return r;
        } catch (ProtocolException | IllegalArgumentException e) {
            if (strict) throw e instanceof ProtocolException p ? p : new ProtocolException(e.getMessage());
            return null;
        }
    }

    private static CaseSpec spec(Fields f) {
        int index = f.integer("case");
        String id = f.str("id");
        Backing backing = Backing.of(f.str("backing"));
        int sq = f.integer("sqEntries");
        Integer cq = f.optInteger("cqEntries");
        boolean cqsize = f.bool("cqsize");
        String layout = f.str("layout");
        String family = f.str("family");
        CaseSpec spec = new CaseSpec(index, layout == null ? Layout.SEPARATE : Layout.of(layout), backing, sq,
                cq == null ? 0 : cq, cqsize, SetupOption.ofWire(f.str("options")), edge(f.str("edge")),
                family == null ? Family.RINGS : Family.of(family));
        if (!spec.id().equals(id)) {
            throw new ProtocolException("case " + index + ": id \"" + id + "\" does not match its fields (" + spec.id() + ")");
        }
        return spec;
    }

    private static Edge edge(String id) {
        return id == null ? null : Edge.of(id);
    }

    private static Result result(String nonce, Fields f) {
        CaseSpec spec = spec(f);
        int flags = f.integer("flags");
        int actualSq = f.integer("actualSq");
        int actualCq = f.integer("actualCq");
        int predictedSq = f.integer("predictedSq");
        int predictedCq = f.integer("predictedCq");
        Integer cqesOffset = f.optInteger("cqesOffset");
        Integer sqArrayOffset = f.optInteger("sqArrayOffset");
        Long sqeBytes = f.optLong("sqeBytes");
        Integer sqePages = f.optInteger("sqePages");
        Long ringBytes = f.optLong("ringBytes");
        Integer ringPages = f.optInteger("ringPages");
        Long bufferBytes = f.optLong("bufferBytes");
        String result = f.str("result");
        if (result == null) throw new ProtocolException("result record without a result");
        int errno = f.integer("errno");
        ResultCode code = ResultCode.ofWire(result);
        if (!code.wire(errno).equals(result)) {
            throw new ProtocolException("result \"" + result + "\" does not match errno " + errno);
        }
        boolean ringWorks = f.bool("ringWorks");
        String ringError = f.str("ringError");
        return new Result(nonce, spec, flags, actualSq, actualCq, predictedSq, predictedCq, cqesOffset,
                sqArrayOffset, sqeBytes, sqePages, ringBytes, ringPages, bufferBytes, code, errno, ringWorks,
                ringError, f.optInteger("completions"), f.optInteger("badSlot"), f.optInteger("readSlot"), f.optBool("guardsIntact"), f.optInteger("sqePageKiB"), f.optInteger("ringPageKiB"),
                f.optBool("sqeContiguous"), f.optBool("ringContiguous"), f.optInteger("sqeFirstGap"),
                f.optInteger("ringFirstGap"), f.optBool("fallbackOk"), f.str("fallbackResult"), f.str("allocError"),
                f.longValue("micros"));
    }

    /** Field access that remembers what was read, so a strict reader can refuse fields nobody asked for. */
    private final class Fields {
        private final Map<String, Object> values;
        private final Set<String> read = new HashSet<>();

        Fields(Map<String, Object> values) {
            this.values = values;
        }

        private Object get(String name, boolean required) {
            read.add(name);
            Object v = values.get(name);
            if (v == null && required && strict) throw new ProtocolException("missing field \"" + name + "\"");
            return v;
        }

        String str(String name) {
            Object v = get(name, false);
            if (v == null || v instanceof String) return (String) v;
            throw new ProtocolException("field \"" + name + "\" is not a string: " + v);
        }

        Long optLong(String name) {
            Object v = get(name, false);
            if (v == null || v instanceof Long) return (Long) v;
            throw new ProtocolException("field \"" + name + "\" is not an integer: " + v);
        }

        Integer optInteger(String name) {
            Long v = optLong(name);
            if (v == null) return null;
            if (v != v.intValue()) throw new ProtocolException("field \"" + name + "\" is out of range: " + v);
            return v.intValue();
        }

        long longValue(String name) {
            get(name, true);
            Long v = optLong(name);
            return v == null ? 0 : v;
        }

        int integer(String name) {
            get(name, true);
            Integer v = optInteger(name);
            return v == null ? 0 : v;
        }

        Boolean optBool(String name) {
            Object v = get(name, false);
            if (v == null || v instanceof Boolean) return (Boolean) v;
            throw new ProtocolException("field \"" + name + "\" is not a boolean: " + v);
        }

        boolean bool(String name) {
            get(name, true);
            Boolean v = optBool(name);
            return v != null && v;
        }

        void requireAllRead() {
            if (!strict) return;
            for (String k : values.keySet()) {
                if (!read.contains(k)) throw new ProtocolException("unknown field \"" + k + "\" in a " + values.get("type") + " record");
            }
        }
    }

    /**
     * The flat JSON object on {@code line} from its first '{' (strings, integers, booleans, null: what the
     * protocol writes), fields in line order; null when there is none or it is not one.
     */
    public static Map<String, Object> object(String line) {
        int brace = line.indexOf('{');
        if (brace < 0) return null;
        try {
            return new Parser(line, brace).object();
        } catch (ProtocolException e) {
            return null;
        }
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s, int start) {
            this.s = s;
            this.i = start;
        }

        Map<String, Object> object() {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            ws();
            if (peek() == '}') {
                i++;
                return out;
            }
            while (true) {
                ws();
                String key = string();
                ws();
                expect(':');
                ws();
                out.put(key, value());
                ws();
                char c = next();
                if (c == '}') return out;
                if (c != ',') throw fail("expected , or }");
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') return string();
            if (c == '-' || (c >= '0' && c <= '9')) return number();
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            throw fail("unexpected value");
        }

        private Long number() {
            int start = i;
            if (peek() == '-') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                throw fail("the protocol has only integers");
            }
            try {
                return Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw fail("bad number");
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw fail("short \\u escape");
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw fail("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw fail("bad escape");
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private char peek() {
            if (i >= s.length()) throw fail("unexpected end");
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) throw fail("expected " + c);
        }

        private ProtocolException fail(String why) {
            return new ProtocolException(why + " at " + i);
        }
    }
}
