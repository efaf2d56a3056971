package dev.ringvm.probe.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
    private static final List<ProbeRecord> ALL = List.of(Samples.header(), Samples.begin(), Samples.result(), Samples.end());

    @Test
    void everyRecordComesBackEqualFromItsLine() {
        for (ProbeRecord r : ALL) {
            String line = RecordWriter.line(r);
            ProbeRecord back = RecordReader.strict().read(line, "n1");
            assertThat(back).as(line).isEqualTo(r);
            assertThat(RecordWriter.line(back)).isEqualTo(line);
        }
    }

    @Test
    void aRenamedFieldFailsTheStrictReader() {
        String line = RecordWriter.line(Samples.result()).replace("\"sqePageKiB\"", "\"sqePageKib\"");
        assertThatThrownBy(() -> RecordReader.strict().read(line, "n1"))
                .isInstanceOf(RecordReader.ProtocolException.class)
                .hasMessage("unknown field \"sqePageKib\" in a result record");
        String noErrno = RecordWriter.line(Samples.result()).replace(",\"errno\":14", "");
        assertThatThrownBy(() -> RecordReader.strict().read(noErrno, "n1")).hasMessage("missing field \"errno\"");
    }

    @Test
    void aResultWhoseWireFieldsDisagreeIsRefused() {
        String line = RecordWriter.line(Samples.result()).replace("\"id\":\"edge/read-only/lib/hugetlb/sq1024/cq65536+cqe32+nosqarray\"", "\"id\":\"anon/sq1\"");
        assertThatThrownBy(() -> RecordReader.strict().read(line, "n1"))
                .hasMessage("case 58: id \"anon/sq1\" does not match its fields (edge/read-only/lib/hugetlb/sq1024/cq65536+cqe32+nosqarray)");
        String errno = RecordWriter.line(Samples.result()).replace("\"result\":\"EFAULT\"", "\"result\":\"EINVAL\"");
        assertThatThrownBy(() -> RecordReader.strict().read(errno, "n1")).hasMessage("result \"EINVAL\" does not match errno 14");
    }

    @Test
    void theLenientReaderTakesOlderRecordsAndSkipsWhatItCannotRead() {
        String old = "{\"type\":\"result\",\"nonce\":\"n1\",\"case\":3,\"id\":\"memalign/sq65\",\"backing\":\"memalign\","
                + "\"sqEntries\":65,\"cqEntries\":null,\"cqsize\":false,\"result\":\"EINVAL\",\"errno\":22,\"gone\":1}";
        Result r = (Result) RecordReader.lenient().read(old, "n1");
        assertThat(r.spec()).isEqualTo(new CaseSpec(3, Backing.MEMALIGN, 65, 0, false));
        assertThat(r.code()).isEqualTo(ResultCode.SETUP_FAILED);
        assertThat(r.result()).isEqualTo("EINVAL");
        assertThat(r.sqePages()).isNull();
        assertThat(r.singlePage()).isTrue();
        assertThatThrownBy(() -> RecordReader.strict().read(old, "n1")).isInstanceOf(RecordReader.ProtocolException.class);
        assertThat(RecordReader.lenient().read(old.replace("\"memalign\",", "\"bogus\","), "n1")).isNull();
    }

    @Test
    void aHeaderWithoutThpPmdSizeKiBFromAnOlderProbeStillReads() {
        String line = RecordWriter.line(Samples.header());
        assertThat(line).contains("\"thpPmdSizeKiB\":2048,");
        String old = line.replace("\"thpPmdSizeKiB\":2048,", "");
        Header h = (Header) RecordReader.lenient().read(old, "n1");
        assertThat(h.thpPmdSizeKiB()).isNull();
        assertThat(h.pageSize()).isEqualTo(4096);
        assertThat(h).isEqualTo(new Header("n1", "0.1.0", "6.5.0", "x86_64", 4096, 2048L, 16L, 16L, "madvise", -1L, -1L,
                0L, true, 0L, 512L, "default", 75, 2480L, 2950L));
        assertThat(RecordReader.strict().read(old, "n1")).isEqualTo(h); // optional for the strict reader too
    }

    @Test
    void theLastWaitSlotIsCountedInTheRegionsBytesOnAnyPageSize() {
        CaseSpec spec = new CaseSpec(80, Layout.SEPARATE, Backing.ANON, 16, 0, false, java.util.Set.of(), null,
                Family.MEM_REGION);
        // 16 pages of 16 KiB: 4096 slots of 64 bytes, the last one 4095 (1023 is only page 3's last)
        java.util.function.IntFunction<Result> lastRead0 = slot -> new Result("n1", spec, 0, 0, 0, 1, 2, 0, 0, 0L, 0,
                16L * 16384, 16, null, ResultCode.OK, 0, false, "wait slot", 7, slot, 0, true, 16, 16, true, true, null,
                null, true, "ok", null, 1L);
        assertThat(lastRead0.apply(4095).outcome()).isEqualTo(Result.LAST_SLOT_READS_0);
        assertThat(lastRead0.apply(1023).outcome()).isEqualTo("ring-corrupt");
    }

    @Test
    void linesOfAnotherRunOrNotJsonAreNotRecords() {
        String line = RecordWriter.line(Samples.end());
        assertThat(RecordReader.strict().read(line, "other")).isNull();
        assertThat(RecordReader.strict().read("[    3.1] io_uring: something", "n1")).isNull();
        assertThat(RecordReader.strict().read("{\"type\":\"end\",\"nonce\":\"n1\",\"count\":", "n1")).isNull();
        assertThat(RecordReader.strict().read("\r\u0000garbage" + line, "n1")).isEqualTo(Samples.end());
        assertThat(RecordReader.object("{\"a\":\"\\u00e9\\n\",\"b\":-3,\"c\":true,\"d\":null}"))
                .containsEntry("a", "é\n").containsEntry("b", -3L).containsEntry("c", true).containsEntry("d", null);
        assertThat(RecordReader.object("{\"a\":{\"nested\":1}}")).isNull();
        assertThat(RecordReader.object("{\"a\":1.5}")).isNull();
    }

    @Test
    void resultCodesRoundTripThroughTheirWireNames() {
        for (ResultCode c : ResultCode.values()) {
            int errno = c == ResultCode.OK ? 0 : Errno.ENOMEM;
            assertThat(ResultCode.ofWire(c.wire(errno))).isEqualTo(c);
        }
        assertThat(ResultCode.SETUP_FAILED.wire(200)).isEqualTo("E200");
    }

    @Test
    void caseClassesNameColumnsKeysAndGroups() {
        assertThat(CaseClass.of(Backing.THP, true)).isEqualTo(CaseClass.SINGLE_PAGE);
        assertThat(CaseClass.of(Backing.SHARED, false).group()).isEqualTo(CaseClass.Group.MULTI_4K);
        assertThat(CaseClass.MULTI_HUGETLB.key()).isEqualTo("multi-hugetlb");
        assertThat(CaseClass.MULTI_HUGETLB.title()).isEqualTo("multi/hugetlb");
        for (CaseClass c : CaseClass.values()) assertThat(CaseClass.ofColumn(c.column())).isEqualTo(c);
    }
}
