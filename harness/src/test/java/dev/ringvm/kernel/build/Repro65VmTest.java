package dev.ringvm.kernel.build;

import dev.ringvm.probe.protocol.Backing;
import dev.ringvm.probe.protocol.Edge;
import dev.ringvm.probe.protocol.Family;
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
 * Debian's 6.12 with repro-6.5-nommap-efault.patch behaves like Linux 6.5 (DOMAIN.md): every case whose regions
 * each fit in one page works, every multi-page case fails with EFAULT, hugetlb and THP included. Builds the kernel
 * from linux-source-6.12 (cached), boots it under TCG at 512 MiB with the real probe.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL_BUILD_TOOLS, Capability.DEBIAN_ARCHIVE})
class Repro65VmTest {

    @Test
    void singlePageWorksAndEveryMultiPageRegionFailsWithEfault(@TempDir Path dir) throws Exception {
        List<Result> all = ReproKernels.completeCases("repro-6.5", "repro-6.5-nommap-efault.patch", dir);
        // the NO_MMAP rings themselves (the other families run on a 6.12 base: buffer rings work, 6.13 calls do not)
        List<Result> cases = all.stream().filter(c -> c.spec().family() == Family.RINGS
                && (c.spec().edge() == null || c.spec().edge().refused())).toList();
        assertThat(cases).isNotEmpty();
        // the aliased region passes 6.5's first-equals-last check and is then addressed from its first page on:
        // accepted, and the first SQE past page 0 is read from memory that is not the caller's
        assertThat(all).filteredOn(c -> c.spec().edge() == Edge.ALIASED).singleElement().satisfies(c -> {
            assertThat(c.result()).isEqualTo("ok");
            assertThat(c.outcome()).isEqualTo("ring-corrupt");
            assertThat(c.badSlot()).isEqualTo(32); // SQE128: 32 slots in the first page
        });
        assertThat(all).filteredOn(c -> c.spec().family() == Family.PBUF_RING).hasSize(5).allMatch(Result::passed);
        assertThat(cases).filteredOn(Result::singlePage).isNotEmpty().allSatisfy(c -> {
            assertThat(c.result()).as(c.spec().id()).isEqualTo("ok");
            assertThat(c.ringWorks()).as(c.spec().id()).isTrue();
        });
        assertThat(cases).filteredOn(c -> c.spec().edge() != null).isNotEmpty().allSatisfy(c -> assertThat(c.result())
                .as(c.spec().id()).isEqualTo(c.spec().edge() == dev.ringvm.probe.protocol.Edge.UNALIGNED ? "EINVAL" : "EFAULT"));
        assertThat(cases).filteredOn(c -> !c.singlePage() && c.spec().edge() == null).isNotEmpty().allSatisfy(c -> {
            assertThat(c.result()).as(c.spec().id()).isEqualTo("EFAULT");
            assertThat(c.errno()).as(c.spec().id()).isEqualTo(14);
        });
        assertThat(cases).filteredOn(c -> !c.singlePage() && c.spec().backing() == Backing.HUGETLB).isNotEmpty();
    }
}
