package dev.ringvm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelCmdlineTest {
    @Test
    void hugePagesScaleWithMemory() {
        assertThat(KernelCmdline.hugePages(128)).isEqualTo(8);
        assertThat(KernelCmdline.hugePages(512)).isEqualTo(16);
        assertThat(KernelCmdline.hugePages(1024)).isEqualTo(32);
        assertThat(KernelCmdline.hugePages(2048)).isEqualTo(64);
        assertThat(KernelCmdline.hugePages(8192)).isEqualTo(64);
    }

    @Test
    void hugePagesFollowTheGranule() {
        assertThat(KernelCmdline.hugePageKiB(4)).isEqualTo(2048);
        assertThat(KernelCmdline.hugePageKiB(16)).isEqualTo(32768);
        assertThat(KernelCmdline.hugePageKiB(64)).isEqualTo(524288);
        assertThat(KernelCmdline.hugePages(512, 2048)).isEqualTo(16);
        assertThat(KernelCmdline.hugePages(256, 32768)).isZero();   // 4 x 32 MiB would be half the guest
        assertThat(KernelCmdline.hugePages(512, 32768)).isEqualTo(4);
        assertThat(KernelCmdline.hugePages(2048, 32768)).isEqualTo(8);
        assertThat(KernelCmdline.hugePages(8192, 32768)).isEqualTo(16);
        assertThat(KernelCmdline.hugePages(2048, 524288)).isZero();
        assertThat(KernelCmdline.hugePages(8192, 524288)).isEqualTo(4);
    }

    @Test
    void arm64ConsoleAndResultsDevice() {
        assertThat(KernelCmdline.base(dev.ringvm.config.Arch.ARM64, 4, 2048)).containsExactly("console=ttyAMA0",
                "panic=-1", "loglevel=5", "hugepagesz=2M", "hugepages=64", "transparent_hugepage=madvise",
                "ringvm.results=/dev/hvc0", "cma=0");
        assertThat(KernelCmdline.base(dev.ringvm.config.Arch.X86_64, 4, 512)).isEqualTo(KernelCmdline.base(512));
    }

    @Test
    void baseKeepsKernelMessages() {
        assertThat(KernelCmdline.base(512)).containsExactly("console=ttyS0", "panic=-1", "loglevel=5",
                "hugepagesz=2M", "hugepages=16", "transparent_hugepage=madvise").doesNotContain("quiet");
    }

    @Test
    void probeTokens() {
        assertThat(KernelCmdline.probe("abc123", "default", null, null))
                .containsExactly("ringvm.nonce=abc123", "ringvm.grid=default");
        assertThat(KernelCmdline.probe("n", "g", "3,4", List.of("-Xlog:gc*", "-Xmx64m")))
                .containsExactly("ringvm.nonce=n", "ringvm.grid=g", "ringvm.only=3,4", "ringvm.javaopts=-Xlog:gc*,-Xmx64m");
    }

    @Test
    void rejectsValuesThatWouldBreakTheCommandLine() {
        assertThatThrownBy(() -> KernelCmdline.probe("a b", "g", null, null)).hasMessageContaining("nonce");
        assertThatThrownBy(() -> KernelCmdline.probe("n", "g\"", null, null)).hasMessageContaining("grid");
        assertThatThrownBy(() -> KernelCmdline.probe("n", "g", null, List.of("-Da=b,c"))).hasMessageContaining("comma");
    }
}
