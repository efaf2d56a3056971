package dev.ringvm.run;

import dev.ringvm.model.GuestRun;
import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.probe.protocol.Result;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class GuestRunTest {

    @Test
    void completeGridParsesEveryCase() {
        GuestRun run = GuestRun.parse(grid("6.12.57+deb13-cloud-amd64", "ok", 0), NONCE);
        assertThat(run.complete()).isTrue();
        assertThat(run.release()).isEqualTo("6.12.57+deb13-cloud-amd64");
        assertThat(run.cases()).extracting(c -> c.spec().id())
                .containsExactly("memalign/sq1", "memalign/sq128", "memalign/sq4096");
        assertThat(run.cases()).allMatch(Result::passed);
        assertThat(run.cases().get(0).caseClass()).isEqualTo(CaseClass.SINGLE_PAGE);
        assertThat(run.cases().get(2).caseClass()).isEqualTo(CaseClass.MULTI_MEMALIGN);
        assertThat(run.interruptedCase()).isEmpty();
    }

    @Test
    void linesWithoutTheNonceOrNotJsonAreIgnored() {
        List<String> lines = new ArrayList<>(grid("6.1.0", "EINVAL", 22));
        lines.add(1, "[    1.234] random kernel noise {not json");
        lines.add(2, "{\"type\":\"result\",\"nonce\":\"stale-run\",\"case\":0,\"result\":\"ok\"}");
        lines.add(3, "\u0000\u0000" + begin(9, "anon/sq9").replace(NONCE, "other"));
        GuestRun run = GuestRun.parse(lines, NONCE);
        assertThat(run.cases()).hasSize(3).allMatch(c -> c.result().equals("EINVAL") && c.errno() == 22);
        assertThat(run.records()).hasSize(8);
    }

    @Test
    void recordsBehindAConsolePrefixStillCount() {
        List<String> lines = new ArrayList<>(grid("6.1.0", "ok", 0));
        lines.set(0, "\r" + lines.get(0));
        assertThat(GuestRun.parse(lines, NONCE).header()).isNotNull();
    }

    @Test
    void aCrashMidGridKeepsEarlierResultsAndNamesTheInterruptedCase() {
        List<String> lines = grid("6.5.0", "ok", 0).subList(0, 4); // header, begin 0, result 0, begin 1
        GuestRun run = GuestRun.parse(lines, NONCE);
        assertThat(run.complete()).isFalse();
        assertThat(run.cases()).hasSize(1);
        assertThat(run.interruptedCase()).contains("memalign/sq128");
    }

    @Test
    void endWithWrongCountIsIncomplete() {
        List<String> lines = new ArrayList<>(grid("6.12.1", "ok", 0));
        lines.set(lines.size() - 1, end(4));
        assertThat(GuestRun.parse(lines, NONCE).complete()).isFalse();
    }

    @Test
    void noOutputAtAll() {
        GuestRun run = GuestRun.parse(List.of(), NONCE);
        assertThat(run.complete()).isFalse();
        assertThat(run.header()).isNull();
        assertThat(run.interruptedCase()).isEmpty();
    }

    @Test
    void outcomeNamesABrokenRingEvenWhenSetupSucceeded() {
        String line = line(with(typedResult(0, "anon", 4096, 64, 2, "ok", 0), f -> f.put("ringWorks", false)));
        Result c = GuestRun.parse(List.of(line), NONCE).cases().getFirst();
        assertThat(c.passed()).isFalse();
        assertThat(c.outcome()).isEqualTo("ring-broken");
    }
}
