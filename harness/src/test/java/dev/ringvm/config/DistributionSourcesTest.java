package dev.ringvm.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apt: with its own archive, keyring and components, and rpm: sources: what parses, and every rejection names its field. */
class DistributionSourcesTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("kernels.yaml"), text);
    }

    private String error(String source) throws IOException {
        Path f = yaml("kernels:\n  - id: k\n    source: " + source + "\n");
        try {
            ConfigLoader.load(f);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(f + ": ");
            return e.getMessage().substring(f.toString().length() + 2);
        }
        throw new AssertionError("expected a ConfigException for: " + source);
    }

    private KernelSource source(String source) throws Exception {
        return ConfigLoader.load(yaml("kernels:\n  - id: k\n    source: " + source + "\n")).kernels().getFirst().source();
    }

    @Test
    void anAptSourceMayNameItsArchiveKeyringAndComponents() throws Exception {
        Files.writeString(dir.resolve("ubuntu.gpg"), "k");
        KernelSource s = source("{ apt: \"linux-image-unsigned-6.8.0-*-generic\", suite: noble-updates,"
                + " archive: \"http://mirror.example/ubuntu/\", keyring: ubuntu.gpg, components: [main, universe] }");
        assertThat(s).isEqualTo(new KernelSource.AptSource("linux-image-unsigned-6.8.0-*-generic", "noble-updates",
                "http://mirror.example/ubuntu", dir.toAbsolutePath().resolve("ubuntu.gpg"), List.of("main", "universe")));
        assertThat(s.describe()).isEqualTo("apt linux-image-unsigned-6.8.0-*-generic @ noble-updates from http://mirror.example/ubuntu [main,universe]");
        assertThat(KernelSource.fromDescription(s.describe())).isEqualTo(new KernelSource.AptSource(
                "linux-image-unsigned-6.8.0-*-generic", "noble-updates", "http://mirror.example/ubuntu", null, List.of("main", "universe")));
        KernelSource plain = source("{ apt: \"linux-image-*-cloud-amd64\", suite: trixie, components: [main] }");
        assertThat(plain).isEqualTo(new KernelSource.AptSource("linux-image-*-cloud-amd64", "trixie"));
        assertThat(plain.describe()).isEqualTo("apt linux-image-*-cloud-amd64 @ trixie");
    }

    @Test
    void badArchivesKeyringsAndComponentsAreRejected() throws Exception {
        assertThat(error("{ apt: linux-image-amd64, suite: noble, archive: \"ftp://m.example/ubuntu\" }"))
                .isEqualTo("kernels[0].source.archive: expected an http:// or https:// URL, found \"ftp://m.example/ubuntu\"");
        assertThat(error("{ apt: linux-image-amd64, suite: noble, archive: \"http:///ubuntu\" }"))
                .isEqualTo("kernels[0].source.archive: URL without a host \"http:///ubuntu\"");
        assertThat(error("{ apt: linux-image-amd64, suite: noble, keyring: nope.gpg }"))
                .isEqualTo("kernels[0].source.keyring: no such file \"nope.gpg\" (resolved to " + dir.toAbsolutePath().resolve("nope.gpg") + ")");
        assertThat(error("{ apt: linux-image-amd64, suite: noble, components: main }"))
                .isEqualTo("kernels[0].source.components: expected a list like [main, universe], found a string \"main\"");
        assertThat(error("{ apt: linux-image-amd64, suite: noble, components: [main, \"a b\"] }"))
                .isEqualTo("kernels[0].source.components[1]: bad component a string \"a b\" (expected a name like main or universe)");
        assertThat(error("{ apt: linux-image-amd64, suite: noble, components: [main, main] }"))
                .isEqualTo("kernels[0].source.components[1]: duplicate component \"main\"");
        assertThat(error("{ rpm: \"http://h/k.rpm\", archive: \"http://h/\" }"))
                .isEqualTo("kernels[0].source.archive: only applies to apt sources");
    }

    @Test
    void rpmTakesAFileOrAUrlWithAnOptionalSha256() throws Exception {
        Files.writeString(dir.resolve("kernel-core.rpm"), "x");
        assertThat(source("{ rpm: kernel-core.rpm }"))
                .isEqualTo(new KernelSource.RpmSource(dir.toAbsolutePath().resolve("kernel-core.rpm").toString(), null));
        KernelSource url = source("{ rpm: \"https://mirror.example/kernel-core-5.14.0-427.el9.x86_64.rpm\", sha256: " + SHA + " }");
        assertThat(url).isEqualTo(new KernelSource.RpmSource("https://mirror.example/kernel-core-5.14.0-427.el9.x86_64.rpm", SHA));
        assertThat(KernelSource.fromDescription(url.describe()))
                .isEqualTo(new KernelSource.RpmSource("https://mirror.example/kernel-core-5.14.0-427.el9.x86_64.rpm", null));
        assertThat(error("{ rpm: nope.rpm }")).isEqualTo("kernels[0].source.rpm: no such file \"nope.rpm\" (resolved to "
                + dir.toAbsolutePath().resolve("nope.rpm") + ")");
        assertThat(error("{ rpm: \"ftp://h/k.rpm\" }"))
                .isEqualTo("kernels[0].source.rpm: unsupported URL scheme in \"ftp://h/k.rpm\" (expected a file, http:// or https://)");
        assertThat(error("{ rpm: kernel-core.rpm, sha256: ABC }"))
                .isEqualTo("kernels[0].source.sha256: bad sha256 \"ABC\" (expected 64 lower-case hex digits)");
        assertThat(error("{ rpm: kernel-core.rpm, suite: el9 }")).isEqualTo("kernels[0].source.suite: only applies to apt sources");
    }

    @Test
    void theBehaviourOnlyOverrideOfDocsVerdictsLoads() throws Exception {
        Files.writeString(dir.resolve("kernel-core.rpm"), "x");
        KernelEntry k = ConfigLoader.load(yaml("""
                kernels:
                  - id: rhel-9.4
                    source: { rpm: kernel-core.rpm }
                    expect: { reason: "RHEL 9.4 backports io_uring from 6.x; judged by behaviour, not by 5.14",
                              single-page: ok|EINVAL, multi-4k: ok|EINVAL|EFAULT, multi-hugetlb: ok|EINVAL|EFAULT,
                              multi-thp: ok|EINVAL|EFAULT }
                """)).kernels().getFirst();
        assertThat(k.expect().reason()).startsWith("RHEL 9.4");
        assertThat(k.expect().outcomes()).containsKeys("single-page", "multi-4k", "multi-hugetlb", "multi-thp")
                .doesNotContainKey("edge");
        assertThat(k.expect().outcomes().get("multi-4k")).containsExactlyInAnyOrder("ok", "EINVAL", "EFAULT");
    }
}
