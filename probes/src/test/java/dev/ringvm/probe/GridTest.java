package dev.ringvm.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Layout;
import dev.ringvm.probe.protocol.SetupOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {
    @Test
    void v1IsRingvm01sGridOf75CasesInItsOrder() {
        List<CaseSpec> g = Grid.v1();
        assertThat(g).hasSize(75);
        List<String> expected = new ArrayList<>();
        for (String b : List.of("memalign", "anon", "shared", "hugetlb", "thp")) {
            for (int sq : new int[] {1, 4, 64, 65, 128, 1024, 4096, 32768}) {
                expected.add(b + "/sq" + sq);
            }
            for (String p : List.of("4/cq16", "4/cq512", "64/cq128", "128/cq256", "256/cq4096", "1024/cq65536",
                    "32768/cq65536")) {
                expected.add(b + "/sq" + p);
            }
        }
        assertThat(g).extracting(CaseSpec::id).containsExactlyElementsOf(expected);
        assertThat(g.get(73).recordedCq()).isEqualTo(65536);
        assertThat(Grid.named("v1")).isEqualTo(g);
        assertThat(Grid.named("nope")).isNull();
    }

    @Test
    void theDefaultGridHoldsWhatLiburingSends() {
        List<CaseSpec> g = Grid.defaultGrid();
        for (int i = 0; i < g.size(); i++) assertThat(g.get(i).index()).isEqualTo(i);
        assertThat(new HashSet<>(g.stream().map(CaseSpec::id).toList())).as("ids are unique").hasSize(g.size());
        List<String> ids = g.stream().map(CaseSpec::id).toList();
        // test/init-mem.c: every pair with none / SQE128 / CQE32 / both, under CQSIZE|NO_SQARRAY, in one buffer
        for (String f : List.of("", "+sqe128", "+cqe32", "+sqe128+cqe32")) {
            for (String p : List.of("sq1/cq8", "sq2/cq1024", "sq32/cq4096", "sq128/cq8192", "sq256/cq16384", "sq4096/cq32768")) {
                String flags = f.isEmpty() ? "+nosqarray" : f + "+nosqarray";
                assertThat(ids).contains("lib/hugetlb/" + p + flags);
            }
        }
        // issue #1032: 512 entries in one 2 MiB MAP_SHARED|MAP_HUGETLB buffer, with CQSIZE and alone
        assertThat(ids).contains("lib/hugetlb/sq512/cq4096", "lib/hugetlb/sq512");
        // multi-page SQEs with single-page rings, and the reverse, in every backing
        for (String b : List.of("memalign", "anon", "shared", "hugetlb", "thp")) {
            assertThat(ids).contains(b + "/sq128/cq128", b + "/sq4/cq512", b + "/sq65", b + "/sq64", "lib/" + b + "/sq512");
        }
        assertThat(ids).contains("memalign/sq128+sqe128", "memalign/sq128+cqe32", "memalign/sq128+sqe128+cqe32",
                "memalign/sq128+nosqarray", "memalign/sq8+regfd", "lib/hugetlb/sq512+regfd");
        assertThat(g).filteredOn(c -> c.layout() == Layout.LIBURING).isNotEmpty();
        assertThat(g).filteredOn(c -> c.has(SetupOption.REGISTERED_FD_ONLY)).hasSize(2);
        assertThat(Grid.named("default")).isEqualTo(g);
    }

    @Test
    void filterKeepsIndexes() {
        List<CaseSpec> f = Grid.filter(Grid.v1(), "^hugetlb/sq1024");
        assertThat(f).extracting(CaseSpec::id).containsExactly("hugetlb/sq1024", "hugetlb/sq1024/cq65536");
        assertThat(f).extracting(CaseSpec::index).containsExactly(50, 58);
        assertThat(Grid.filter(Grid.v1(), null)).hasSize(75);
    }
}
