package dev.ringvm.kernel.build;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.kernel.TestDebs;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An arm64 cross build on a stand-in kernel tree whose Makefile records the make variables it was given and, for
 * {@code Image}, copies a synthetic arm64 Image into arch/arm64/boot: every make step gets ARCH=arm64 and
 * CROSS_COMPILE, the image lands as {@code Image} under its own key, and an x86 build of the same inputs is another
 * cache entry. Needs make, patch and Debian's aarch64-linux-gnu-gcc (its version is part of the key); no kernel source.
 */
@Requires({Capability.KERNEL_BUILD_TOOLS, Capability.ARM64_CROSS_GCC})
class CrossBuildTest {
    @TempDir Path dir;
    Path tree;
    Path cache;
    List<String> log = new ArrayList<>();

    @BeforeEach
    void fakeTree() throws Exception {
        tree = Files.createDirectories(dir.resolve("linux"));
        cache = dir.resolve("cache");
        Files.write(tree.resolve("arm64.img"), TestDebs.arm64Image("6.12.117 (me@host) #1 SMP PREEMPT", 16));
        Files.write(tree.resolve("x86.img"), TestDebs.bzImage("6.12.117 (me@host) #1 SMP"));
        Files.writeString(tree.resolve("Makefile"), """
                tinyconfig:
                \tprintf 'CONFIG_64BIT=y\\n' > .config
                \techo "tinyconfig ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE)" >> steps
                olddefconfig:
                \techo "olddefconfig ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE)" >> steps
                Image:
                \t@echo '  CC      kernel/fork.o'
                \techo "Image ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE) CC=$(CC)" >> steps
                \tmkdir -p arch/arm64/boot && cp arm64.img arch/arm64/boot/Image && cp steps arch/arm64/boot/steps
                bzImage:
                \tmkdir -p arch/x86/boot && cp x86.img arch/x86/boot/bzImage
                """);
    }

    private DebianSourceBuilder builder() {
        return new DebianSourceBuilder(cache, new AptRepo(cache, s -> {}), 2);
    }

    private KernelSource.BuildSource source() {
        return new KernelSource.BuildSource(tree, null, null, "tinyconfig", List.of(), List.of());
    }

    @Test
    void everyMakeStepIsACrossStepAndTheImageIsCachedUnderAnArm64Key() throws Exception {
        Path image = builder().build("a", source(), Arch.ARM64, log::add);
        assertThat(image.getFileName().toString()).isEqualTo("Image");
        assertThat(image).hasSameBinaryContentAs(tree.resolve("arm64.img"));
        String ccache = DebianSourceBuilder.onPath("ccache") ? "ccache " : "";
        assertThat(image.getParent().resolve("build.log")).content().contains("# arch: arm64");
        assertThat(log).anyMatch(l -> l.equals("build a: compile: make -j2 ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "
                + (ccache.isEmpty() ? "" : "CC=ccache aarch64-linux-gnu-gcc ") + "Image" + (ccache.isEmpty() ? "" : " (ccache)")));
        assertThat(image.getParent().resolve("build.log")).content()
                .contains("tinyconfig ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-")
                // make's own default CC is "cc" when the builder passes none (no ccache)
                .contains("Image ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC=" + (ccache.isEmpty() ? "cc" : "ccache aarch64-linux-gnu-gcc"));

        log.clear();
        assertThat(builder().build("a", source(), Arch.ARM64, log::add)).isEqualTo(image);
        assertThat(log).singleElement().asString().contains("cached");
        assertThat(builder().cached("a", source(), Arch.ARM64)).contains(image);
        assertThat(builder().cached("a", source())).isEmpty();

        Path x86 = builder().build("x", source(), log::add);
        assertThat(x86.getFileName().toString()).isEqualTo("bzImage");
        assertThat(x86.getParent()).isNotEqualTo(image.getParent());
    }

    @Test
    void aBuildThatLeavesAnImageOfTheOtherArchitectureFails() throws Exception {
        Files.copy(tree.resolve("x86.img"), tree.resolve("arm64.img"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> builder().build("a", source(), Arch.ARM64, log::add))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessageContaining("a: make left an unusable image: ")
                .hasMessageContaining("arch/arm64/boot/Image is an x86-64 bzImage, not an arm64 kernel");
    }
}
