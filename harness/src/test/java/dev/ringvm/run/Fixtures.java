package dev.ringvm.run;

import dev.ringvm.model.ConsoleFacts;
import dev.ringvm.config.KernelSource;

import dev.ringvm.model.GuestRun;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.model.ResolvedKernel;

import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.Begin;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.End;
import dev.ringvm.probe.protocol.Header;
import dev.ringvm.probe.protocol.ProbeRecord;
import dev.ringvm.probe.protocol.RecordReader;
import dev.ringvm.probe.protocol.RecordWriter;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.probe.protocol.ResultCode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Probe records (typed, and as lines the one writer wrote) and VM results for tests. */
public final class Fixtures {
    public static final String NONCE = "n0nce";

    private Fixtures() {}

    public static ResolvedKernel kernel(String id, String release) {
        return new ResolvedKernel(id, new KernelSource.PathSource(Path.of("/k/" + id)), Path.of("/k/" + id), "ab".repeat(32), release,
                release + " (test) #1", null, null);
    }

    public static String header(String release) {
        return line(header(release, 0L));
    }

    public static Header header(String release, Long tainted) {
        return new Header(NONCE, "0.1.0", release, "x86_64", 4096, 2048L, 16L, 16L, "madvise", -1L, -1L, 0L, true, 0L, tainted,
                "default", 3, 1000L, 2000L);
    }

    /** The begin record of case {@code i} named {@code id} ({@code memalign/sq128}, {@code anon/sq4/cq16}). */
    public static String begin(int i, String id) {
        return line(new Begin(NONCE, spec(i, id)));
    }

    public static CaseSpec spec(int i, String id) {
        Matcher m = Pattern.compile("(\\w+)/sq(\\d+)(?:/cq(\\d+))?").matcher(id);
        if (!m.matches()) throw new IllegalArgumentException(id);
        return new CaseSpec(i, Backing.of(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), m.group(3) != null);
    }

    /** A result record line; {@code result} "ok" gives a working ring. */
    public static String result(int i, String backing, int sq, int sqePages, int ringPages, String result, int errno) {
        return line(typedResult(i, backing, sq, sqePages, ringPages, result, errno));
    }

    public static Result typedResult(int i, String backing, int sq, int sqePages, int ringPages, String result, int errno) {
        boolean ok = result.equals("ok");
        ResultCode code = ResultCode.ofWire(result);
        return new Result(NONCE, spec(i, backing + "/sq" + sq), IORING_SETUP_NO_MMAP, ok ? sq : 0, ok ? 2 * sq : 0, sq,
                2 * sq, 64, 64 + 32 * sq, 64L * sq, sqePages, 4096L, ringPages, null, code, errno, ok, null,
                ok ? 4 * sq : null, null, null, true, 4, 4, true,
                true, null, null, true, "ok", code == ResultCode.ALLOC_FAILED ? "mmap: ENOMEM" : null, 1500);
    }

    /**
     * {@code r} with fields changed by name, as the wire spells them; read back strictly, so a misspelt field
     * fails the test instead of being ignored.
     */
    public static Result with(Result r, Consumer<Map<String, Object>> change) {
        Map<String, Object> f = RecordWriter.fields(r);
        change.accept(f);
        return (Result) RecordReader.strict().record(f);
    }

    public static String end(int count) {
        return line(new End(NONCE, count, 0L, 5000, 3000L));
    }

    public static String line(ProbeRecord r) {
        return RecordWriter.line(r);
    }

    static final int IORING_SETUP_NO_MMAP = 1 << 14;

    /** Three cases: one single-page, two multi-page memalign; all with the given outcome. */
    public static List<String> grid(String release, String outcome, int errno) {
        List<String> lines = new ArrayList<>();
        lines.add(header(release));
        lines.add(begin(0, "memalign/sq1"));
        lines.add(result(0, "memalign", 1, 1, 1, outcome, errno));
        lines.add(begin(1, "memalign/sq128"));
        lines.add(result(1, "memalign", 128, 2, 1, outcome, errno));
        lines.add(begin(2, "memalign/sq4096"));
        lines.add(result(2, "memalign", 4096, 64, 2, outcome, errno));
        lines.add(end(3));
        return lines;
    }

    public static VmResult vm(String id, String release, int mem, List<String> lines, VmResult.Status status,
                              String detail) {
        return new VmResult(new VmJob(kernel(id, release), mem), status, detail, GuestRun.parse(lines, NONCE),
                Duration.ofSeconds(12), "tcg", Path.of("/out/" + id + "/console.log"),
                Path.of("/out/" + id + "/results.log"), ConsoleFacts.NONE);
    }
}
