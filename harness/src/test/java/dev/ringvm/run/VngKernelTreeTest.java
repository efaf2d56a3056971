package dev.ringvm.run;

import dev.ringvm.config.KernelSource;

import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.kernel.TestDebs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The module tree vng boots packaged kernels from, made from a synthetic kernel .deb in the apt download directory. */
class VngKernelTreeTest {
    private static final String RELEASE = "6.1.0-9-cloud-amd64";

    @TempDir
    Path cache;

    private ResolvedKernel kernel(String source, String pkg, String version) {
        return new ResolvedKernel("debian-6.1", KernelSource.fromDescription(source), cache.resolve("kernels/x/vmlinuz"), "cd".repeat(32), RELEASE,
                RELEASE + " #1", pkg, version);
    }

    @Test
    void treeHoldsTheImageAndModulesFromTheDebOnceMade() throws Exception {
        Path deb = Files.createDirectories(cache.resolve("apt/bookworm/debs"))
                .resolve("linux-image-" + RELEASE + "_6.1.1-1_amd64.deb");
        TestDebs.deb(deb, "xz", TestDebs.files(
                "./boot/", "",
                "./boot/vmlinuz-" + RELEASE, TestDebs.bzImage(RELEASE + " (debian) #1"),
                "./boot/config-" + RELEASE, "CONFIG_VIRTIO_FS=m\n",
                "./lib/modules/" + RELEASE + "/", "",
                "./lib/modules/" + RELEASE + "/modules.builtin", "",
                "./lib/modules/" + RELEASE + "/modules.order", "",
                "./usr/share/doc/x/copyright", "not wanted"));
        ResolvedKernel k = kernel("apt linux-image-*-cloud-amd64 @ bookworm", "linux-image-" + RELEASE, "6.1.1-1");
        assertThat(VngKernelTree.debOf(cache, k)).contains(deb);

        Path root = VngKernelTree.root(cache, k).orElseThrow();
        assertThat(root).isEqualTo(cache.resolve("vng").resolve(k.sha256()));
        assertThat(VngKernelTree.image(root)).contains(root.resolve("boot/vmlinuz-" + RELEASE));
        assertThat(root.resolve("lib/modules/" + RELEASE + "/modules.order")).exists();
        assertThat(root.resolve("boot/config-" + RELEASE)).doesNotExist();
        assertThat(root.resolve("usr/share")).doesNotExist();
        assertThat(root.resolve("ready")).hasContent(RELEASE);
        try (var s = Files.list(root.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(k.sha256()); // no temporary left
        }

        Files.delete(deb); // made once: later runs need no .deb
        assertThat(VngKernelTree.root(cache, k)).contains(root);
    }

    @Test
    void kernelsWithoutAPackageGetNoTree() throws Exception {
        assertThat(VngKernelTree.root(cache, kernel("path /k/bzImage", null, null))).isEmpty();
        assertThat(VngKernelTree.debOf(cache, kernel("apt x @ sid", "linux-image-x", "1:2.0"))).isEmpty();
    }

    @Test
    void suiteOfAnAptSource() {
        assertThat(VngKernelTree.aptSuite(new KernelSource.AptSource("linux-image-*-cloud-amd64", "trixie")))
                .isEqualTo(Optional.of("trixie"));
        assertThat(VngKernelTree.aptSuite(new KernelSource.DebSource("https://example.org/k.deb", null))).isEmpty();
    }
}
