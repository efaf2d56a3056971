package dev.ringvm.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringvm.probe.protocol.Backing;
import org.junit.jupiter.api.Test;

class PageSizesTest {
    @Test
    void thpIsHpagePmdSizeElseThePmdOfThePageSize() throws Exception {
        PageSizes k16 = PageSizes.of(16384, 32768L, 33554432L);
        assertThat(k16.hugetlb()).isEqualTo(32L << 20);
        assertThat(k16.thp()).isEqualTo(32L << 20);
        assertThat(k16.thpFromKernel()).isTrue();
        assertThat(k16.huge(Backing.HUGETLB)).isEqualTo(32L << 20);
        assertThat(k16.huge(Backing.THP)).isEqualTo(32L << 20);
        assertThat(k16.pageAlign(8192)).isEqualTo(16384);
        PageSizes noThp = PageSizes.of(16384, 32768L, null);
        assertThat(noThp.thp()).isEqualTo(32L << 20);
        assertThat(noThp.thpFromKernel()).isFalse();
        assertThat(PageSizes.pmdSize(4096)).isEqualTo(2L << 20);
        assertThat(PageSizes.pmdSize(16384)).isEqualTo(32L << 20);
        assertThat(PageSizes.pmdSize(65536)).isEqualTo(512L << 20);
        assertThat(PageSizes.X86_64).isEqualTo(PageSizes.of(4096, 2048L, 2097152L));
    }

    @Test
    void hugePagesMissingOrTooLargeAreAllocFailedWithoutACall() {
        PageSizes k64 = PageSizes.of(65536, 524288L, 536870912L);
        assertThatThrownBy(() -> k64.huge(Backing.HUGETLB)).isInstanceOf(Region.AllocFailed.class)
                .hasMessage("the hugetlb page (Hugepagesize of /proc/meminfo) is 524288 KiB, larger than the 32768 KiB"
                        + " the probe's huge page cases allow (64 KiB pages; a case needs up to four huge pages at once)")
                .satisfies(e -> assertThat(((Region.AllocFailed) e).errno).isZero());
        assertThatThrownBy(() -> k64.huge(Backing.THP)).hasMessageStartingWith("the transparent huge page (hpage_pmd_size) is 524288 KiB");
        assertThatThrownBy(() -> PageSizes.of(4096, null, 2097152L).huge(Backing.HUGETLB))
                .hasMessage("no default hugetlb page (Hugepagesize of /proc/meminfo): the kernel has no hugetlbfs");
        assertThatThrownBy(() -> k64.huge(Backing.ANON)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thisHostIsX8664() {
        PageSizes host = PageSizes.ofThisKernel();
        assertThat(host.page()).isEqualTo(4096);
        assertThat(host.thp()).isEqualTo(2L << 20);
    }
}
