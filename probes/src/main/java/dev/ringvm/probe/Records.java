package dev.ringvm.probe;

/** Renders the records of docs/probe-records.md, fields in the documented order. */
public final class Records {
    private Records() {}

    /** Host facts for the header record. */
    public record Host(String release, String machine, int pageSize, Long hugePageSizeKiB, Long hugePagesTotal,
                       Long hugePagesFree, String thpEnabled, Long memlockSoft, Long memlockHard,
                       Long ioUringDisabled, Long tainted, Long processStartMillis, Long uptimeMillis) {}

    public static String header(String nonce, Host h, String grid, int cases) {
        return new JsonLine().str("type", "header").str("nonce", nonce).str("probeVersion", Probe.VERSION)
                .str("release", h.release()).str("machine", h.machine()).num("pageSize", h.pageSize())
                .num("hugePageSizeKiB", h.hugePageSizeKiB()).num("hugePagesTotal", h.hugePagesTotal())
                .num("hugePagesFree", h.hugePagesFree()).str("thpEnabled", h.thpEnabled())
                .num("memlockSoft", h.memlockSoft()).num("memlockHard", h.memlockHard())
                .num("ioUringDisabled", h.ioUringDisabled()).num("tainted", h.tainted())
                .str("grid", grid).num("cases", cases)
                .num("processStartMillis", h.processStartMillis()).num("uptimeMillis", h.uptimeMillis()).toString();
    }

    private static JsonLine begin(String type, String nonce, CaseSpec c) {
        return new JsonLine().str("type", type).str("nonce", nonce).num("case", c.index()).str("id", c.id())
                .str("backing", c.backing().id()).num("sqEntries", c.sqEntries()).num("cqEntries", c.recordedCq())
                .bool("cqsize", c.cqsize());
    }

    public static String begin(String nonce, CaseSpec c) {
        return begin("begin", nonce, c).toString();
    }

    public static String result(String nonce, CaseResult r) {
        Prediction p = r.prediction;
        return begin("result", nonce, r.spec)
                .num("flags", r.flags)
                .num("actualSq", r.actualSq).num("actualCq", r.actualCq)
                .num("predictedSq", Prediction.predictedSq(r.spec)).num("predictedCq", Prediction.predictedCq(r.spec))
                .num("cqesOffset", p == null ? null : p.cqesOffset())
                .num("sqArrayOffset", p == null ? null : p.sqArrayOffset())
                .num("sqeBytes", p == null ? null : p.sqeBytes()).num("sqePages", p == null ? null : p.sqePages())
                .num("ringBytes", p == null ? null : p.ringBytes()).num("ringPages", p == null ? null : p.ringPages())
                .str("result", r.result).num("errno", r.errno)
                .bool("ringWorks", r.ringWorks).str("ringError", r.ringError)
                .bool("guardsIntact", r.guardsIntact)
                .num("sqePageKiB", r.sqePageKiB).num("ringPageKiB", r.ringPageKiB)
                .bool("sqeContiguous", r.sqeContiguous).bool("ringContiguous", r.ringContiguous)
                .num("sqeFirstGap", r.sqeFirstGap).num("ringFirstGap", r.ringFirstGap)
                .bool("fallbackOk", r.fallbackOk).str("fallbackResult", r.fallbackResult)
                .str("allocError", r.allocError)
                .num("micros", r.micros).toString();
    }

    public static String end(String nonce, int count, Long tainted, long micros, Long uptimeMillis) {
        return new JsonLine().str("type", "end").str("nonce", nonce).num("count", count).num("tainted", tainted)
                .num("micros", micros).num("uptimeMillis", uptimeMillis).toString();
    }
}
