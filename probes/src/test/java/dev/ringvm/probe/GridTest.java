package dev.ringvm.probe;

import dev.ringvm.probe.protocol.CaseSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {
    @Test
    void defaultGridHas75CasesInDocumentedOrder() {
        List<CaseSpec> g = Grid.defaultGrid();
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
        for (int i = 0; i < g.size(); i++) {
            assertThat(g.get(i).index()).isEqualTo(i);
        }
        assertThat(g.get(0).recordedCq()).isNull();
        assertThat(g.get(73).id()).isEqualTo("thp/sq1024/cq65536");
        assertThat(g.get(73).recordedCq()).isEqualTo(65536);
        assertThat(Grid.named("default")).isEqualTo(g);
        assertThat(Grid.named("nope")).isNull();
    }

    @Test
    void filterKeepsIndexes() {
        List<CaseSpec> f = Grid.filter(Grid.defaultGrid(), "^hugetlb/sq1024");
        assertThat(f).extracting(CaseSpec::id).containsExactly("hugetlb/sq1024", "hugetlb/sq1024/cq65536");
        assertThat(f).extracting(CaseSpec::index).containsExactly(50, 58);
        assertThat(Grid.filter(Grid.defaultGrid(), null)).hasSize(75);
    }
}
