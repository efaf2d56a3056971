package dev.ringvm.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One probe `result` record, typed. Field meanings: docs/probe-records.md.
 *
 * @param raw the record as the probe wrote it (reports keep every field, including ones added later)
 */
public record CaseResult(
        int index,
        String id,
        String backing,
        int sqEntries,
        Integer cqEntries,
        boolean cqsize,
        long sqeBytes,
        int sqePages,
        long ringBytes,
        int ringPages,
        String result,
        int errno,
        boolean ringWorks,
        boolean guardsIntact,
        boolean fallbackOk,
        JsonNode raw) {

    public static final String OK = "ok";

    /** Setup succeeded, the ring carried a NOP, and the guard bytes survived. */
    public boolean passed() {
        return OK.equals(result) && ringWorks && guardsIntact;
    }

    /** Both regions fit in one page: the case class that works on every NO_MMAP kernel. */
    public boolean singlePage() {
        return sqePages <= 1 && ringPages <= 1;
    }

    /** The case class used for the terminal matrix: {@code single-page} or the backing of a multi-page case. */
    public String caseClass() {
        return singlePage() ? CaseClass.SINGLE_PAGE : backing;
    }

    /** What a person reads in a cell: {@code ok}, the errno name, or why an ok setup still failed. */
    public String outcome() {
        if (!OK.equals(result)) return result;
        if (!ringWorks) return "ring-broken";
        if (!guardsIntact) return "guards-overwritten";
        return OK;
    }

    static CaseResult from(JsonNode n) {
        JsonNode cq = n.path("cqEntries");
        return new CaseResult(
                n.path("case").asInt(-1),
                n.path("id").asText(""),
                n.path("backing").asText(""),
                n.path("sqEntries").asInt(),
                cq.isNumber() ? cq.asInt() : null,
                n.path("cqsize").asBoolean(),
                n.path("sqeBytes").asLong(),
                n.path("sqePages").asInt(),
                n.path("ringBytes").asLong(),
                n.path("ringPages").asInt(),
                n.path("result").asText("?"),
                n.path("errno").asInt(),
                n.path("ringWorks").asBoolean(),
                n.path("guardsIntact").asBoolean(true),
                n.path("fallbackOk").asBoolean(),
                n);
    }
}
