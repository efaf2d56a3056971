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
