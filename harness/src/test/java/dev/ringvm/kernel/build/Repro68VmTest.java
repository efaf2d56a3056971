package dev.ringvm.kernel.build;

import dev.ringvm.probe.protocol.RecordWriter;
import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.Edge;
import dev.ringvm.probe.protocol.Family;
import dev.ringvm.probe.protocol.Layout;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's 6.12 with repro-6.8-nommap-contig.patch behaves like Linux 6.6.5-6.9 (DOMAIN.md): single-page cases
 * and multi-page hugetlb work; a multi-page region of 4 KiB pages is EINVAL unless its pages happened to be
 * physically contiguous (THP: inside one huge page), and then the probe's pagemap record
 * (sqeContiguous/ringContiguous) must say so.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class Repro68VmTest {

    @Test
    void hugetlbWorksAnd4KibRegionsPassOnlyWhenPhysicallyContiguous(@TempDir Path dir) throws Exception {
        List<Result> all = ReproKernels.completeCases("repro-6.8", "repro-6.8-nommap-contig.patch", dir);
        // the NO_MMAP rings themselves (the other families run on a 6.12 base: buffer rings work, 6.13 calls do not)
        List<Result> cases = all.stream().filter(c -> c.spec().family() == Family.RINGS
                && (c.spec().edge() == null || c.spec().edge() == Edge.ALIASED)).toList();
        assertThat(cases).filteredOn(Result::singlePage).isNotEmpty()
                .allSatisfy(c -> assertThat(c.passed()).as(c.spec().id()).isTrue());
        // inside one huge page: contiguous; across two (span/) only by luck
        assertThat(cases).filteredOn(c -> !c.singlePage() && c.spec().backing() == Backing.HUGETLB
                && c.spec().layout() != Layout.SPAN).isNotEmpty()
                .allSatisfy(c -> assertThat(c.passed()).as(c.spec().id()).isTrue());
        // the aliased region (first and last page one memfd page) is never contiguous: 820d070feb66's EINVAL
        assertThat(cases).filteredOn(c -> c.spec().edge() == Edge.ALIASED).singleElement()
                .satisfies(c -> assertThat(c.result()).isEqualTo("EINVAL"));
        assertThat(all).filteredOn(c -> c.spec().family() == Family.PBUF_RING).hasSize(5).allMatch(Result::passed);
        assertThat(cases).filteredOn(c -> !c.singlePage() && (c.spec().backing() != Backing.HUGETLB
                || c.spec().layout() == Layout.SPAN) && c.spec().edge() == null)
                .isNotEmpty().allSatisfy(c -> {
                    if (c.result().equals("ok")) {
                        assertThat(explainedByPagemap(c)).as(c.spec().id() + " passed: its multi-page regions must be contiguous " + RecordWriter.line(c)).isTrue();
                    } else {
                        assertThat(c.result()).as(c.spec().id()).isEqualTo("EINVAL");
                    }
                });
    }

    /** Every multi-page region of the case was physically contiguous per /proc/self/pagemap. */
    static boolean explainedByPagemap(Result c) {
        return contiguous(c.sqeContiguous(), c.sqePageCount()) && contiguous(c.ringContiguous(), c.ringPageCount());
    }

    private static boolean contiguous(Boolean contiguous, int pages) {
        return pages <= 1 || Boolean.TRUE.equals(contiguous);
    }
}
