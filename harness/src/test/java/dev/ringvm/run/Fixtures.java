package dev.ringvm.run;

import dev.ringvm.config.KernelSource;

import dev.ringvm.model.GuestRun;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.model.ResolvedKernel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Probe record lines and VM results for tests, in the exact wire format of docs/probe-records.md. */
public final class Fixtures {
    public static final String NONCE = "n0nce";

    private Fixtures() {}

    public static ResolvedKernel kernel(String id, String release) {
        return new ResolvedKernel(id, new KernelSource.PathSource(Path.of("/k/" + id)), Path.of("/k/" + id), "ab".repeat(32), release,
                release + " (test) #1", null, null);
    }

    public static String header(String release) {
        return "{\"type\":\"header\",\"nonce\":\"" + NONCE + "\",\"release\":\"" + release
                + "\",\"pageSize\":4096,\"grid\":\"default\",\"cases\":3}";
    }

    public static String begin(int i, String id) {
        return "{\"type\":\"begin\",\"nonce\":\"" + NONCE + "\",\"case\":" + i + ",\"id\":\"" + id + "\"}";
    }

    /** A result record; {@code result} "ok" gives a working ring. */
    public static String result(int i, String backing, int sq, int sqePages, int ringPages, String result, int errno) {
        boolean ok = result.equals("ok");
        return "{\"type\":\"result\",\"nonce\":\"" + NONCE + "\",\"case\":" + i + ",\"id\":\"" + backing + "/sq" + sq
                + "\",\"backing\":\"" + backing + "\",\"sqEntries\":" + sq + ",\"cqEntries\":null,\"cqsize\":false"
                + ",\"sqeBytes\":" + (sq * 64) + ",\"sqePages\":" + sqePages + ",\"ringBytes\":4096,\"ringPages\":"
                + ringPages + ",\"result\":\"" + result + "\",\"errno\":" + errno + ",\"ringWorks\":" + ok
                + ",\"guardsIntact\":true,\"sqePageKiB\":4,\"fallbackOk\":true,\"micros\":1500}";
    }

    public static String end(int count) {
        return "{\"type\":\"end\",\"nonce\":\"" + NONCE + "\",\"count\":" + count + ",\"tainted\":0}";
    }

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
                Path.of("/out/" + id + "/results.log"));
    }
}
