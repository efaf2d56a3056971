package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelPackagesTest {

    @Test
    void globs() {
        assertThat(KernelPackages.glob("linux-image-*-cloud-amd64").test("linux-image-6.12.57+deb13-cloud-amd64")).isTrue();
        assertThat(KernelPackages.glob("linux-image-*-cloud-amd64").test("linux-image-cloud-amd64")).isFalse();
        assertThat(KernelPackages.glob("linux-image-*-cloud-amd64").test("linux-image-6.1.0-50-cloud-amd64-dbg")).isFalse();
        assertThat(KernelPackages.glob("linux-image-6.*-cloud-amd64").test("linux-image-7.0.4+deb13-cloud-amd64")).isFalse();
        assertThat(KernelPackages.glob("linux-image-[67].?*").test("linux-image-7.3-cloud-amd64")).isTrue();
        assertThat(KernelPackages.literalPrefix("linux-image-*-cloud-amd64")).isEqualTo("linux-image-");
        assertThat(KernelPackages.isGlob("linux-libc-dev")).isFalse();
        assertThat(KernelPackages.glob("linux-image-[!6]*").test("linux-image-7.3-cloud-amd64")).isTrue();
        assertThat(KernelPackages.glob("linux-image-[!6]*").test("linux-image-6.1-cloud-amd64")).isFalse();
        assertThat(KernelPackages.glob("linux-image-[6*").test("linux-image-[6")).as("an unclosed [ matches nothing").isFalse();
        assertThat(KernelPackages.glob("linux-*").test("linux-a/b")).isFalse();
    }

    @Test
    void theImageIsInALinuxBinaryOrAVersionedImagePackage() {
        assertThat(KernelPackages.mayHoldImage("linux-binary-7.2.13+deb14-cloud-amd64")).isTrue();
        assertThat(KernelPackages.mayHoldImage("linux-image-6.1.0-50-cloud-amd64")).isTrue();
        assertThat(KernelPackages.mayHoldImage("linux-image-cloud-amd64")).isFalse();
        assertThat(KernelPackages.mayHoldImage("linux-image-6.1.0-50-cloud-amd64-dbg")).isFalse();
        assertThat(KernelPackages.mayHoldImage("linux-image-6.1.0-50-amd64-unsigned")).isFalse();
        assertThat(KernelPackages.mayHoldImage("initramfs-tools")).isFalse();
    }

    @Test
    void skipsMetaAndVariantPackagesUnlessAskedFor() {
        assertThat(KernelPackages.isVariantOrMeta("linux-image-cloud-amd64", "linux-image-*")).isTrue();
        assertThat(KernelPackages.isVariantOrMeta("linux-image-cloud-amd64", "linux-image-cloud-*")).isFalse();
        assertThat(KernelPackages.isVariantOrMeta("linux-image-6.1.0-50-cloud-amd64-dbg", "linux-image-*")).isTrue();
        assertThat(KernelPackages.isVariantOrMeta("linux-image-6.1.0-50-cloud-amd64-dbg", "linux-image-*-dbg")).isFalse();
        assertThat(KernelPackages.isVariantOrMeta("linux-image-6.1.0-50-amd64-unsigned", "linux-image-*")).isTrue();
        assertThat(KernelPackages.isVariantOrMeta("linux-image-6.1.0-50-cloud-amd64", "linux-image-*")).isFalse();
    }

    @Test
    void newestIsByVersionThenReleaseInTheName() {
        List<PackageRef> refs = List.of(
                new PackageRef("linux-image-6.12.57+deb13-cloud-amd64", "6.12.57-1", List.of()),
                new PackageRef("linux-image-6.12.117+deb13-cloud-amd64", "6.12.117-1", List.of()),
                new PackageRef("linux-image-6.12.48+deb13-cloud-amd64", "6.12.48-1", List.of()));
        assertThat(refs.stream().max(KernelPackages.NEWEST)).map(PackageRef::name).contains("linux-image-6.12.117+deb13-cloud-amd64");
        List<PackageRef> bpo = List.of(
                new PackageRef("linux-image-6.19.14+deb13-cloud-amd64", "6.19.14-1~bpo13+1", List.of()),
                new PackageRef("linux-image-7.3.4+deb13-cloud-amd64", "7.3.4-1~bpo13+1", List.of()),
                new PackageRef("linux-image-7.2.12+deb13-cloud-amd64", "7.2.12-1~bpo13+1", List.of()));
        assertThat(bpo.stream().max(KernelPackages.NEWEST)).map(PackageRef::name).contains("linux-image-7.3.4+deb13-cloud-amd64");
        List<PackageRef> sameVersion = List.of(
                new PackageRef("linux-image-6.12.90+deb12.1-cloud-amd64", "6.12.90-1", List.of()),
                new PackageRef("linux-image-6.12.90+deb12-cloud-amd64", "6.12.90-1", List.of()));
        assertThat(sameVersion.stream().max(KernelPackages.NEWEST)).map(PackageRef::name).contains("linux-image-6.12.90+deb12.1-cloud-amd64");
    }
}
