package dev.ringvm.probe;

import dev.ringvm.probe.ffm.LibC;
import dev.ringvm.probe.protocol.Begin;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.End;
import dev.ringvm.probe.protocol.Header;
import dev.ringvm.probe.protocol.RecordWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs a grid and writes its records. The public entry point for Main and for tests. */
public final class Probe {
    private Probe() {}

    public static final String VERSION = "0.1.0";

    /** Where records go: one line each, flushed at once (a serial port; the kernel may die after any case). */
    public interface Sink {
        void line(String json) throws IOException;

        static Sink of(OutputStream out) {
            return json -> {
                byte[] b = (json + "\n").getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                out.flush();
            };
        }
    }

    /** The header record: host facts from /proc, /sys and getrlimit. */
    static Header header(String nonce, PageSizes sizes, String grid, int cases) {
        String meminfo = ProcFs.read("/proc/meminfo");
        String status = ProcFs.read("/proc/self/status");
        long[] memlock = LibC.getrlimit(LibC.RLIMIT_MEMLOCK);
        String machine = ProcFs.firstLine("/proc/sys/kernel/arch");
        if (machine == null) {
            machine = dev.ringvm.probe.ffm.Abi.current().machine();
        }
        return new Header(nonce, VERSION, ProcFs.firstLine("/proc/sys/kernel/osrelease"), machine, sizes.page(),
                meminfo == null ? null : ProcFs.field(meminfo, "Hugepagesize"),
                meminfo == null ? null : ProcFs.field(meminfo, "HugePages_Total"),
                meminfo == null ? null : ProcFs.field(meminfo, "HugePages_Free"),
                ProcFs.selected(ProcFs.read("/sys/kernel/mm/transparent_hugepage/enabled")), sizes.thp() >> 10,
                memlock == null ? null : memlock[0], memlock == null ? null : memlock[1],
                status == null ? null : ProcFs.field(status, "Uid"), status == null ? null : capIpcLock(status),
                ProcFs.number("/proc/sys/kernel/io_uring_disabled"),
                ProcFs.number("/proc/sys/kernel/tainted"), grid, cases,
                ProcFs.processStartMillis(), ProcFs.uptimeMillis());
    }

    /**
     * Writes header, begin/result per case, end. {@code cases} may be a filtered grid (indexes are kept; the
     * header's {@code cases} is the number of cases this run will execute). Returns every result.
     */
    public static List<CaseResult> run(String nonce, String gridName, List<CaseSpec> cases, Sink sink)
            throws IOException {
        PageSizes sizes = PageSizes.ofThisKernel();
        Header h = header(nonce, sizes, gridName, cases.size());
        sink.line(RecordWriter.line(h));
        CaseRunner runner = new CaseRunner(sizes, atLeast66(ProcFs.firstLine("/proc/sys/kernel/osrelease")));
        if (h.memlockSoft() != null && h.memlockSoft() >= 0 && Boolean.FALSE.equals(h.capIpcLock())) {
            runner.chargedAgainst(h.memlockSoft());
        }
        List<CaseResult> results = new ArrayList<>(cases.size());
        long t0 = System.nanoTime();
        for (CaseSpec c : cases) {
            sink.line(RecordWriter.line(new Begin(nonce, c)));
            CaseResult r = runner.run(c);
            results.add(r);
            sink.line(RecordWriter.line(r.toRecord(nonce)));
        }
        long micros = (System.nanoTime() - t0) / 1000;
        sink.line(RecordWriter.line(new End(nonce, results.size(), ProcFs.number("/proc/sys/kernel/tainted"), micros,
                ProcFs.uptimeMillis())));
        return results;
    }

    /** CAP_IPC_LOCK (bit 14) in the CapEff hex mask of /proc/self/status; null when the line is missing. */
    static Boolean capIpcLock(String status) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^CapEff:\\s*([0-9a-fA-F]+)").matcher(status);
        return m.find() ? (Long.parseUnsignedLong(m.group(1), 16) & (1L << 14)) != 0 : null;
    }

    /** True unless {@code release} names a kernel before 6.6 (whose ring header is 320 bytes, not 64). */
    static boolean atLeast66(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release == null ? "" : release);
        if (!m.find()) return true;
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 6 || major == 6 && minor >= 6;
    }

    /** Runs cases without writing records (tests, diagnostics). */
    public static List<CaseResult> runQuietly(List<CaseSpec> cases) {
        CaseRunner runner = new CaseRunner(PageSizes.ofThisKernel());
        List<CaseResult> results = new ArrayList<>(cases.size());
        for (CaseSpec c : cases) {
            results.add(runner.run(c));
        }
        return results;
    }
}
