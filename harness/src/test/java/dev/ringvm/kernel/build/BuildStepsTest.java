package dev.ringvm.kernel.build;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BuildStepsTest {

    @Test
    void patchIsForwardOnlyBatchP1() {
        assertThat(BuildSteps.patch(Path.of("/v/p/a.patch")))
                .containsExactly("patch", "-p1", "--forward", "--batch", "-i", "/v/p/a.patch");
    }

    @Test
    void namedBasesAreMakeTargetsAndFilesAreNot() {
        assertThat(BuildSteps.baseConfig("tinyconfig")).containsExactly("make", "tinyconfig");
        assertThat(BuildSteps.baseConfig("defaultconfig")).containsExactly("make", "defconfig");
        assertThat(BuildSteps.baseConfig("defconfig")).containsExactly("make", "defconfig");
        assertThat(BuildSteps.baseConfig("/etc/kernel.config")).isNull();
        assertThat(BuildSteps.isNamedBase("TinyConfig")).isTrue();
    }

    @Test
    void mergeKeepsFragmentOrderAndOnlyMerges() {
        assertThat(BuildSteps.mergeFragments(List.of(Path.of("/a.config"), Path.of("/b.config"))))
                .containsExactly("scripts/kconfig/merge_config.sh", "-m", ".config", "/a.config", "/b.config");
        assertThat(BuildSteps.olddefconfig()).containsExactly("make", "olddefconfig");
    }

    @Test
    void bzImageWithAndWithoutCcacheCcIsOneArgument() {
        assertThat(BuildSteps.bzImage(2, true)).containsExactly("make", "-j2", "CC=ccache gcc", "bzImage");
        assertThat(BuildSteps.bzImage(0, false)).containsExactly("make", "-j1", "bzImage");
    }

    @Test
    void untarAndCopyNeverUseAShell() {
        assertThat(BuildSteps.untar(Path.of("/w/l.tar.xz"), Path.of("/w/src")))
                .containsExactly("tar", "-xJf", "/w/l.tar.xz", "-C", "/w/src");
        assertThat(BuildSteps.copyTree(Path.of("/home/me/linux"), Path.of("/w/src")))
                .containsExactly("cp", "-a", "--reflink=auto", "/home/me/linux/.", "/w/src");
    }

    @Test
    void compileAndErrorLines() {
        assertThat(BuildSteps.isCompileLine("  CC      kernel/fork.o")).isTrue();
        assertThat(BuildSteps.isCompileLine("  LD      vmlinux.o")).isFalse();
        assertThat(BuildSteps.isErrorLine("io_uring/memmap.c:190:3: error: expected ';'")).isTrue();
        assertThat(BuildSteps.isErrorLine("make[2]: *** [scripts/Makefile.build:229: io_uring/memmap.o] Error 1")).isTrue();
        assertThat(BuildSteps.isErrorLine("Hunk #1 FAILED at 188.")).isTrue();
        assertThat(BuildSteps.errorRank("init/Kconfig:2036: syntax error")).isEqualTo(2);
        assertThat(BuildSteps.isErrorLine("  CC      kernel/error.o")).isFalse();
    }

    @Test
    void anArm64BuildCrossCompilesTheImageTarget() {
        assertThat(BuildSteps.image(2, true, dev.ringvm.config.Arch.ARM64)).containsExactly("make", "-j2", "ARCH=arm64",
                "CROSS_COMPILE=aarch64-linux-gnu-", "CC=ccache aarch64-linux-gnu-gcc", "Image");
        assertThat(BuildSteps.image(1, false, dev.ringvm.config.Arch.ARM64)).containsExactly("make", "-j1", "ARCH=arm64",
                "CROSS_COMPILE=aarch64-linux-gnu-", "Image");
        assertThat(BuildSteps.image(2, true, dev.ringvm.config.Arch.X86_64)).isEqualTo(BuildSteps.bzImage(2, true));
        assertThat(BuildSteps.image(Path.of("/w/src"), dev.ringvm.config.Arch.ARM64)).isEqualTo(Path.of("/w/src/arch/arm64/boot/Image"));
        assertThat(BuildSteps.image(Path.of("/w/src"))).isEqualTo(Path.of("/w/src/arch/x86/boot/bzImage"));
    }

    @Test
    void everyConfigStepOfAnArm64BuildIsACrossMake() {
        assertThat(BuildSteps.forArch(BuildSteps.baseConfig("tinyconfig"), dev.ringvm.config.Arch.ARM64))
                .containsExactly("make", "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-", "tinyconfig");
        assertThat(BuildSteps.forArch(BuildSteps.olddefconfig(), dev.ringvm.config.Arch.ARM64))
                .containsExactly("make", "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-", "olddefconfig");
        assertThat(BuildSteps.forArch(BuildSteps.olddefconfig(), dev.ringvm.config.Arch.X86_64)).containsExactly("make", "olddefconfig");
        assertThat(BuildSteps.forArch(BuildSteps.baseConfig("/etc/kernel.config"), dev.ringvm.config.Arch.ARM64)).isNull();
    }
}
