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

    private static boolean singlePage(CaseSpec c, int pageSize) {
        Prediction p = Prediction.formula(c, true, pageSize);
        return p.sqePages() <= 1 && p.ringPages() <= 1;
    }

    private static CaseSpec byId(List<CaseSpec> g, String id) {
        return g.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    @Test
    void onSixteenKiBPagesTheBoundariesMoveAndOnlyThePageShapedCasesScale() {
        List<CaseSpec> g4 = Grid.defaultGrid(4096);
        List<CaseSpec> g16 = Grid.defaultGrid(16384);
        assertThat(g4).isEqualTo(Grid.defaultGrid());
        assertThat(Grid.named("default", 16384)).isEqualTo(g16);
        assertThat(g16).hasSameSizeAs(g4);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < g4.size(); i++) {
            assertThat(g16.get(i).index()).isEqualTo(i);
            if (!g4.get(i).id().equals(g16.get(i).id())) changed.add(g4.get(i).id() + " -> " + g16.get(i).id());
        }
        assertThat(changed).containsExactly(
                "edge/unaligned/anon/sq4/cq512 -> edge/unaligned/anon/sq4/cq2048",
                "edge/null/anon/sq4/cq512 -> edge/null/anon/sq4/cq2048",
                "edge/unmapped/anon/sq4/cq512 -> edge/unmapped/anon/sq4/cq2048",
                "edge/half-unmapped/anon/sq4/cq512 -> edge/half-unmapped/anon/sq4/cq2048",
                "edge/read-only/anon/sq4/cq512 -> edge/read-only/anon/sq4/cq2048",
                "edge/aliased/shared/sq128/cq128+sqe128 -> edge/aliased/shared/sq512/cq512+sqe128");
        // the page-shaped cases keep their pages: 3 refused rings pages, 4 aliased SQE pages
        for (int page : new int[] {4096, 16384, 65536}) {
            List<CaseSpec> g = Grid.defaultGrid(page);
            CaseSpec half = g.stream().filter(c -> c.id().startsWith("edge/half-unmapped/")).findFirst().orElseThrow();
            assertThat(Prediction.formula(half, true, page).ringPages()).as(half.id()).isEqualTo(3);
            CaseSpec aliased = g.stream().filter(c -> c.id().startsWith("edge/aliased/")).findFirst().orElseThrow();
            assertThat(Prediction.formula(aliased, true, page).sqeBytes()).as(aliased.id()).isEqualTo(4L * page);
            assertThat(Prediction.formula(aliased, true, page).ringPages()).as(aliased.id()).isEqualTo(1);
        }
        // regions of 2-4 pages of 4 KiB are one 16 KiB page; the 16 KiB+ ones stay multi-page in every backing
        for (String b : List.of("memalign", "anon", "shared", "hugetlb", "thp")) {
            for (String id : List.of(b + "/sq65", b + "/sq128/cq128", b + "/sq4/cq512")) {
                assertThat(singlePage(byId(g4, id), 4096)).as(id + " on 4K").isFalse();
                assertThat(singlePage(byId(g16, id), 16384)).as(id + " on 16K").isTrue();
            }
            for (String id : List.of(b + "/sq256/cq4096", b + "/sq1024", "lib/" + b + "/sq512/cq4096")) {
                assertThat(singlePage(byId(g16, id), 16384)).as(id + " on 16K").isFalse();
            }
        }
        assertThat(singlePage(byId(g16, "memalign/sq128+sqe128"), 16384)).isTrue();
        assertThat(singlePage(byId(g16, "memalign/sq4096"), 16384)).isFalse();
        long multi16 = g16.stream().filter(c -> c.family() == dev.ringvm.probe.protocol.Family.RINGS && c.edge() == null)
                .filter(c -> !singlePage(c, 16384)).count();
        long multi4 = g4.stream().filter(c -> c.family() == dev.ringvm.probe.protocol.Family.RINGS && c.edge() == null)
                .filter(c -> !singlePage(c, 4096)).count();
        assertThat(multi16).isLessThan(multi4).isGreaterThanOrEqualTo(20);
    }
}
