package dev.ringvm.probe.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one writer of the guest protocol: a record's fields in the documented order (docs/probe-records.md),
 * {@code type} and {@code nonce} first. The probe writes lines; the harness uses the same field list for
 * results.jsonl and report.json, so a field has one spelling on both sides.
 */
public final class RecordWriter {
    private RecordWriter() {}

    /** Receives fields in order: a JSON line, or a map. */
    interface Sink {
        void str(String name, String value);

        void num(String name, Long value);

        void bool(String name, Boolean value);

        default void num(String name, Integer value) {
            num(name, value == null ? null : Long.valueOf(value.longValue()));
        }

        default void num(String name, long value) {
            num(name, Long.valueOf(value));
        }
    }

    /** The record as one JSON line, without a terminator. */
    public static String line(ProbeRecord r) {
        return line(new JsonLine(), r);
    }

    /** {@code prefix}'s fields (the harness's tags in results.jsonl), then the record's. */
    public static String line(JsonLine prefix, ProbeRecord r) {
        write(r, new Sink() {
            @Override public void str(String name, String value) { prefix.str(name, value); }
            @Override public void num(String name, Long value) { prefix.num(name, value); }
            @Override public void bool(String name, Boolean value) { prefix.bool(name, value); }
        });
        return prefix.toString();
    }

    /** The record's fields in wire order: String, Long, Boolean or null values. */
    public static Map<String, Object> fields(ProbeRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        write(r, new Sink() {
            @Override public void str(String name, String value) { m.put(name, value); }
            @Override public void num(String name, Long value) { m.put(name, value); }
            @Override public void bool(String name, Boolean value) { m.put(name, value); }
        });
        return m;
    }

    /** The wire name of a record's type. */
    public static String type(ProbeRecord r) {
        return switch (r) {
            case Header h -> "header";
            case Begin b -> "begin";
            case Result x -> "result";
            case End e -> "end";
        };
    }

    static void write(ProbeRecord r, Sink s) {
        s.str("type", type(r));
        s.str("nonce", r.nonce());
        switch (r) {
            case Header h -> header(h, s);
            case Begin b -> spec(b.spec(), s);
            case Result x -> result(x, s);
            case End e -> {
                s.num("count", e.count());
                s.num("tainted", e.tainted());
                s.num("micros", e.micros());
                s.num("uptimeMillis", e.uptimeMillis());
            }
        }
    }

    private static void header(Header h, Sink s) {
        s.str("probeVersion", h.probeVersion());
        s.str("release", h.release());
        s.str("machine", h.machine());
        s.num("pageSize", h.pageSize());
        s.num("hugePageSizeKiB", h.hugePageSizeKiB());
        s.num("hugePagesTotal", h.hugePagesTotal());
        s.num("hugePagesFree", h.hugePagesFree());
        s.str("thpEnabled", h.thpEnabled());
        s.num("thpPmdSizeKiB", h.thpPmdSizeKiB());
        s.num("memlockSoft", h.memlockSoft());
        s.num("memlockHard", h.memlockHard());
        s.num("uid", h.uid());
        s.bool("capIpcLock", h.capIpcLock());
        s.num("ioUringDisabled", h.ioUringDisabled());
        s.num("tainted", h.tainted());
        s.str("grid", h.grid());
        s.num("cases", h.cases());
        s.num("processStartMillis", h.processStartMillis());
        s.num("uptimeMillis", h.uptimeMillis());
    }

    private static void spec(CaseSpec c, Sink s) {
        s.num("case", c.index());
        s.str("id", c.id());
        s.str("backing", c.backing().id());
        s.num("sqEntries", c.sqEntries());
        s.num("cqEntries", c.recordedCq());
        s.bool("cqsize", c.cqsize());
        s.str("layout", c.layout().id());
        s.str("options", SetupOption.wire(c.options()));
        s.str("edge", c.edge() == null ? null : c.edge().id());
        s.str("family", c.family().id());
    }

    private static void result(Result r, Sink s) {
        spec(r.spec(), s);
        s.num("flags", r.flags());
        s.num("actualSq", r.actualSq());
        s.num("actualCq", r.actualCq());
        s.num("predictedSq", r.predictedSq());
        s.num("predictedCq", r.predictedCq());
        s.num("cqesOffset", r.cqesOffset());
        s.num("sqArrayOffset", r.sqArrayOffset());
        s.num("sqeBytes", r.sqeBytes());
        s.num("sqePages", r.sqePages());
        s.num("ringBytes", r.ringBytes());
        s.num("ringPages", r.ringPages());
        s.num("bufferBytes", r.bufferBytes());
        s.str("result", r.result());
        s.num("errno", r.errno());
        s.bool("ringWorks", r.ringWorks());
        s.str("ringError", r.ringError());
        s.num("completions", r.completions());
        s.num("badSlot", r.badSlot());
        s.num("readSlot", r.readSlot());
        s.bool("guardsIntact", r.guardsIntact());
        s.num("sqePageKiB", r.sqePageKiB());
        s.num("ringPageKiB", r.ringPageKiB());
        s.bool("sqeContiguous", r.sqeContiguous());
        s.bool("ringContiguous", r.ringContiguous());
        s.num("sqeFirstGap", r.sqeFirstGap());
        s.num("ringFirstGap", r.ringFirstGap());
        s.bool("fallbackOk", r.fallbackOk());
        s.str("fallbackResult", r.fallbackResult());
        s.str("allocError", r.allocError());
        s.num("micros", r.micros());
    }
}
