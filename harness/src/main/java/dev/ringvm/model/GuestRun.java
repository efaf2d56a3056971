package dev.ringvm.model;

import dev.ringvm.probe.protocol.Begin;
import dev.ringvm.probe.protocol.End;
import dev.ringvm.probe.protocol.Header;
import dev.ringvm.probe.protocol.ProbeRecord;
import dev.ringvm.probe.protocol.RecordReader;
import dev.ringvm.probe.protocol.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one VM's probe said, as typed protocol records. Lines without the run's nonce (or not records) are
 * ignored: the serial port may carry garbage after a crash, and a stale file must never pass for this run.
 *
 * @param header  the header record, null when the probe never started
 * @param cases   result records in case order
 * @param begins  begin records (a begin without result names the case a crash or hang interrupted)
 * @param end     the end record, null when the grid did not complete
 * @param records every accepted record, in order, for results.jsonl
 */
public record GuestRun(Header header, List<Result> cases, List<Begin> begins, End end, List<ProbeRecord> records) {

    public GuestRun {
        cases = List.copyOf(cases);
        begins = List.copyOf(begins);
        records = List.copyOf(records);
    }

    /** The records of run {@code nonce} among {@code lines} (the results channel). */
    public static GuestRun parse(List<String> lines, String nonce) {
        List<ProbeRecord> records = new ArrayList<>();
        for (String line : lines) {
            ProbeRecord r = RecordReader.lenient().read(line, nonce);
            if (r != null) records.add(r);
        }
        return of(records);
    }

    public static GuestRun of(List<ProbeRecord> records) {
        Header header = null;
        End end = null;
        List<Result> cases = new ArrayList<>();
        List<Begin> begins = new ArrayList<>();
        for (ProbeRecord r : records) {
            switch (r) {
                case Header h -> header = h;
                case Begin b -> begins.add(b);
                case Result x -> cases.add(x);
                case End e -> end = e;
            }
        }
        return new GuestRun(header, cases, begins, end, records);
    }

    /** The probe ran to its end record and every begun case has its result. */
    public boolean complete() {
        return header != null && end != null && end.count() == cases.size();
    }

    /** The case that was running when the record stream stopped: the last begin without a result. */
    public Optional<String> interruptedCase() {
        if (begins.isEmpty()) return Optional.empty();
        Begin last = begins.getLast();
        int idx = last.spec().index();
        boolean answered = cases.stream().anyMatch(c -> c.spec().index() == idx);
        return answered ? Optional.empty() : Optional.of(last.spec().id());
    }

    public String release() {
        return header == null ? null : header.release();
    }
}
