package dev.ringvm.probe;

import dev.ringvm.probe.protocol.RecordReader;
import dev.ringvm.probe.protocol.ProbeRecord;
import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Errno;
import dev.ringvm.probe.protocol.RecordWriter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringvm.probe.ffm.IoUring;
import dev.ringvm.probe.ffm.LibC;
import dev.ringvm.probe.ffm.RawMemory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real probe on the kernel executing the build. Skips, with the reason, where io_uring is unusable. */
class HostProbeTest {
    static int[] kernel; // major, minor

    @BeforeAll
    static void requireIoUring() {
        IoUring.Setup s = IoUring.setup(1, 0, 0, 0, 0);
        assumeTrue(s.ok() || (s.errno() != Errno.ENOSYS && s.errno() != Errno.EPERM),
                "io_uring_setup is unavailable here: " + Errno.name(s.errno()));
        if (s.ok()) {
            LibC.close(s.fd());
        }
        String rel = ProcFs.firstLine("/proc/sys/kernel/osrelease");
        String[] p = rel.split("[.-]");
        kernel = new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    private static boolean atLeast(int major, int minor) {
        return kernel[0] > major || kernel[0] == major && kernel[1] >= minor;
    }

    @Test
    void noMmapWorksForEveryFourKiBBackingOnAFixedKernel() {
        assumeTrue(atLeast(6, 10), "needs a kernel with the vmap fix (6.10+), this is "
                + kernel[0] + "." + kernel[1]);
        List<CaseResult> results = Probe.runQuietly(Grid.filter(Grid.defaultGrid(), "^(lib/)?(memalign|anon|shared)/"));
        assertThat(results).hasSize(7 * 3 + 4 * 3 + 6);
        for (CaseResult r : results) {
            assertThat(r.result()).as(r.toString()).isEqualTo("ok");
            assertThat(r.ringWorks).as(r.toString()).isTrue();
            assertThat(r.completions).as(r.toString()).isEqualTo(2 * r.actualCq);
            assertThat(r.badSlot).as(r.toString()).isNull();
            assertThat(r.fallbackOk).as(r.toString()).isTrue();
            assertThat(r.guardsIntact).as(r.toString()).isTrue();
            assertThat(r.actualSq).isEqualTo(Prediction.predictedSq(r.spec));
            assertThat(r.actualCq).isEqualTo(Prediction.predictedCq(r.spec));
            assertThat(r.prediction.offsetsLearnt()).isTrue();
            assertThat(r.sqePageKiB).isEqualTo(4);
        }
    }

    @Test
    void hugetlbWithoutReservedPagesIsAllocFailed() {
        String meminfo = ProcFs.read("/proc/meminfo");
        assumeTrue(meminfo != null && Long.valueOf(0).equals(ProcFs.field(meminfo, "HugePages_Free")),
                "this host has free huge pages reserved");
        CaseResult r = Probe.runQuietly(Grid.filter(Grid.defaultGrid(), "^hugetlb/sq1$")).getFirst();
        assertThat(r.result()).isEqualTo("ALLOC_FAILED");
        assertThat(r.errno).isEqualTo(Errno.ENOMEM);
        assertThat(r.allocError).contains("MAP_HUGETLB");
        assertThat(r.ringWorks).isFalse();
        assertThat(r.guardsIntact).isNull();
    }

    @Test
    void writesHeaderBeginResultEndWithTheNonce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<CaseSpec> cases = Grid.filter(Grid.v1(), "^anon/sq(1|65)$");
        Probe.run("n0nce", "default", cases, Probe.Sink.of(out));
        String[] lines = out.toString(StandardCharsets.US_ASCII).split("\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).startsWith("{\"type\":\"header\",\"nonce\":\"n0nce\"").contains("\"cases\":2");
        assertThat(lines[1]).startsWith("{\"type\":\"begin\",\"nonce\":\"n0nce\",\"case\":15,\"id\":\"anon/sq1\"");
        assertThat(lines[2]).startsWith("{\"type\":\"result\",\"nonce\":\"n0nce\",\"case\":15,");
        assertThat(lines[3]).contains("\"case\":18,\"id\":\"anon/sq65\"");
        assertThat(lines[5]).startsWith("{\"type\":\"end\",\"nonce\":\"n0nce\",\"count\":2,");
        // the real output through the one reader, strictly, and back through the writer: byte for byte
        for (String line : lines) {
            ProbeRecord r = RecordReader.strict().read(line, "n0nce");
            assertThat(r).as(line).isNotNull();
            assertThat(RecordWriter.line(r)).isEqualTo(line);
        }
    }

    @Test
    void guardsDetectWritesJustOutsideTheRegion() throws Exception {
        for (Backing b : new Backing[] {Backing.MEMALIGN, Backing.ANON, Backing.THP}) {
            Region r = Region.allocate(b, 5000, PageSizes.ofThisKernel());
            try {
                assertThat(r.guardsIntact()).as(b.id()).isTrue();
                RawMemory.fill(r.addr, r.bytes, (byte) 7); // the region itself is free to use
                assertThat(r.guardsIntact()).isTrue();
                RawMemory.fill(r.addr + r.bytes, 1, (byte) 0);
                assertThat(r.guardsIntact()).as(b.id() + " after").isFalse();
                RawMemory.fill(r.addr + r.bytes, 1, Region.GUARD);
                if (r.guardBeforeLen > 0) {
                    RawMemory.fill(r.addr - 1, 1, (byte) 0);
                    assertThat(r.guardsIntact()).as(b.id() + " before").isFalse();
                }
                assertThat(r.addr % (b.huge() ? PageSizes.ofThisKernel().thp() : 4096)).isZero();
            } finally {
                r.free();
                r.free(); // idempotent
            }
        }
    }

    @Test
    void aProbeExceptionBecomesAProbeErrorResultAndTheNextCaseStillRuns() {
        CaseSpec c = Grid.v1().get(15); // anon/sq1
        CaseResult broken = new CaseRunner(PageSizes.of(0, 2048L, null)).run(c); // page size 0: the allocation maths throws
        assertThat(broken.result()).isEqualTo("PROBE_ERROR");
        assertThat(broken.ringError).contains("ArithmeticException");
        assertThat(broken.ringWorks).isFalse();
        assertThat(RecordWriter.line(broken.toRecord("n"))).contains("\"result\":\"PROBE_ERROR\"");
        assertThat(new CaseRunner(PageSizes.ofThisKernel()).run(c).result()).isEqualTo("ok");
    }

    @Test
    void anUnsatisfiableAllocationReportsTheCallAndErrno() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Region.allocate(Backing.ANON, 1L << 56, PageSizes.X86_64))
                .isInstanceOf(Region.AllocFailed.class)
                .hasMessageContaining("mmap(")
                .satisfies(e -> assertThat(((Region.AllocFailed) e).errno).isEqualTo(Errno.ENOMEM));
    }

    @Test
    void trafficNamesTheFirstSlotWhereTheKernelSeesOtherMemoryThanTheCaller() throws Exception {
        assumeTrue(atLeast(6, 10), "needs NO_MMAP with the vmap fix (6.10+), this is " + kernel[0] + "." + kernel[1]);
        // a real NO_MMAP ring of 8 SQEs, but the caller writes its SQEs into another region than the one the
        // kernel pinned: what a kernel that maps the caller's pages wrongly looks like from user space
        Region sqes = Region.allocate(Backing.ANON, 8 * 64, PageSizes.X86_64);
        Region rings = Region.allocate(Backing.ANON, 4096, PageSizes.X86_64);
        Region elsewhere = Region.allocate(Backing.ANON, 8 * 64, PageSizes.X86_64);
        try {
            IoUring.Setup s = IoUring.setup(8, 0, dev.ringvm.probe.ffm.IoUringH.IORING_SETUP_NO_MMAP, sqes.addr, rings.addr);
            assertThat(s.ok()).as("setup errno " + s.errno()).isTrue();
            IoUring.Traffic good = IoUring.drive(s.fd(), false, s.params(), rings.addr, rings.addr, sqes.addr, 100, 32);
            assertThat(good.ok()).as(String.valueOf(good.error())).isTrue();
            assertThat(good.completions()).isEqualTo(32);
            IoUring.Traffic bad = IoUring.drive(s.fd(), false, s.params(), rings.addr, rings.addr, elsewhere.addr, 100, 32);
            assertThat(bad.ok()).isFalse();
            assertThat(bad.badSlot()).isEqualTo(0); // the CQ slot after 32 completions of a 16-entry CQ
            assertThat(bad.error()).startsWith("CQ slot 0 (completion 0): expected user_data 0x64 res 0 flags 0, saw user_data 0x");
            LibC.close(s.fd());
        } finally {
            sqes.free();
            rings.free();
            elsewhere.free();
        }
    }
}
