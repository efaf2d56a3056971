package dev.ringvm.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deb, mainline, host and build sources: what parses, and every rejection names its field. */
class NewSourceKindsTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("kernels.yaml"), text);
    }

    /** kernels[1] so that messages prove the index: kernels[0] is a valid host entry. */
    private String error(String source) throws IOException {
        Path f = yaml("kernels:\n  - id: here\n    source: { host: true }\n  - id: k\n    source: " + source + "\n");
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
    void parsesEveryKind() throws Exception {
        Files.writeString(dir.resolve("k.deb"), "x");
        Files.createDirectories(dir.resolve("vm-images/patches"));
        Files.writeString(dir.resolve("vm-images/ringvm.config"), "CONFIG_IO_URING=y\n");
        Files.writeString(dir.resolve("vm-images/patches/fix.patch"), "");
        Files.createDirectories(dir.resolve("linux"));
        MatrixConfig c = ConfigLoader.load(yaml("""
                kernels:
                  - id: file-deb
                    source: { deb: k.deb }
                  - id: url-deb
                    source: { deb: "https://example.org/linux-image.deb", sha256: %s }
                  - id: mainline-6.8.12
                    source: { mainline: v6.8.12 }
                  - id: mainline-6.5
                    source: { mainline: v6.5 }
                  - id: here
                    source: { host: true }
                  - id: built
                    source:
                      build:
                        debian-source: linux-source-6.12
                        config: tinyconfig
                        fragments: [vm-images/ringvm.config]
                        patches: [vm-images/patches/fix.patch]
                  - id: tree
                    source: { build: { tree: linux, config: vm-images/ringvm.config, suite: null } }
                """.formatted(SHA).replace(", suite: null", "")));
        List<KernelSource> s = c.kernels().stream().map(KernelEntry::source).toList();
        assertThat(s.get(0)).isEqualTo(new KernelSource.DebSource(dir.toAbsolutePath().resolve("k.deb").toString(), null));
        assertThat(s.get(1)).isEqualTo(new KernelSource.DebSource("https://example.org/linux-image.deb", SHA));
        assertThat(s.get(2)).isEqualTo(new KernelSource.MainlineSource("v6.8.12"));
        assertThat(s.get(3)).isEqualTo(new KernelSource.MainlineSource("v6.5"));
        assertThat(s.get(4)).isEqualTo(new KernelSource.HostSource());
        assertThat(s.get(5)).isEqualTo(new KernelSource.BuildSource(null, "linux-source-6.12", "trixie", "tinyconfig",
                List.of(dir.toAbsolutePath().resolve("vm-images/ringvm.config")),
                List.of(dir.toAbsolutePath().resolve("vm-images/patches/fix.patch"))));
        assertThat(s.get(6)).isEqualTo(new KernelSource.BuildSource(dir.toAbsolutePath().resolve("linux"), null, null,
                dir.toAbsolutePath().resolve("vm-images/ringvm.config").toString(), List.of(), List.of()));
    }

    @Test
    void debSuiteIsRejected() throws Exception {
        assertThat(error("{ deb: \"http://h/x.deb\", suite: sid }")).isEqualTo("kernels[1].source.suite: only applies to apt sources");
        assertThat(error("{ apt: linux-image-amd64, suite: sid, sha256: " + SHA + " }"))
                .isEqualTo("kernels[1].source.sha256: only applies to deb and rpm sources");
    }

    @Test
    void debMissingFile() throws Exception {
        assertThat(error("{ deb: ./nope.deb }")).isEqualTo("kernels[1].source.deb: no such file \"./nope.deb\" (resolved to "
                + dir.toAbsolutePath().resolve("nope.deb") + ")");
    }

    @Test
    void debBadScheme() throws Exception {
        assertThat(error("{ deb: \"ftp://h/x.deb\" }")).startsWith("kernels[1].source.deb: unsupported URL scheme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"})
    void debBadSha256(String sha) throws Exception {
        assertThat(error("{ deb: \"http://h/x.deb\", sha256: \"" + sha + "\" }"))
                .isEqualTo("kernels[1].source.sha256: bad sha256 \"" + sha + "\" (expected 64 lower-case hex digits)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.5", "v6", "v6.5.x", "latest", "v6.5.13/../x"})
    void badMainlineVersion(String v) throws Exception {
        assertThat(error("{ mainline: \"" + v + "\" }")).startsWith("kernels[1].source.mainline: bad mainline version \"" + v + "\"");
    }

    @Test
    void mainlineVersionMustBeAString() throws Exception {
        assertThat(error("{ mainline: 6.5 }")).isEqualTo("kernels[1].source.mainline: expected a string, found a number 6.5 (quote it)");
    }

    @Test
    void hostFalseOrNotBoolean() throws Exception {
        assertThat(error("{ host: false }")).startsWith("kernels[1].source.host: false is not a source");
        assertThat(error("{ host: \"yes\" }")).isEqualTo("kernels[1].source.host: expected true, found a string \"yes\"");
        assertThat(error("{ host: 1 }")).isEqualTo("kernels[1].source.host: expected true, found a number");
    }

    @Test
    void unknownKeys() throws Exception {
        assertThat(error("{ host: true, arch: x }"))
                .isEqualTo("kernels[1].source.arch: unknown key (expected one of [apt, archive, build, components, deb, host, keyring, mainline, path, rpm, sha256, suite])");
        assertThat(error("{ build: { debian-source: linux-source-6.12, config: tinyconfig, jobs: 4 } }"))
                .isEqualTo("kernels[1].source.build.jobs: unknown key (expected one of [config, debian-source, fragments, patches, suite, tree])");
        assertThat(error("{ mainline: v6.5, host: true }"))
                .isEqualTo("kernels[1].source: more than one source kind [mainline, host] (expected exactly one of apt, path, deb, rpm, mainline, host, build)");
    }

    @Test
    void buildTreeAndDebianSource() throws Exception {
        Files.createDirectories(dir.resolve("linux"));
        assertThat(error("{ build: { tree: linux, debian-source: linux-source-6.12, config: tinyconfig } }"))
                .isEqualTo("kernels[1].source.build: both tree and debian-source (expected exactly one)");
        assertThat(error("{ build: { config: tinyconfig } }"))
                .isEqualTo("kernels[1].source.build: no kernel source (expected exactly one of tree, debian-source)");
    }

    @Test
    void buildMissingFiles() throws Exception {
        assertThat(error("{ build: { tree: linux, config: tinyconfig } }"))
                .isEqualTo("kernels[1].source.build.tree: no such directory \"linux\" (resolved to " + dir.toAbsolutePath().resolve("linux") + ")");
        assertThat(error("{ build: { debian-source: linux-source-6.12, config: my.config } }"))
                .isEqualTo("kernels[1].source.build.config: no such file \"my.config\" (resolved to " + dir.toAbsolutePath().resolve("my.config") + ")");
        assertThat(error("{ build: { debian-source: linux-source-6.12, config: defconfig, fragments: [a.config] } }"))
                .isEqualTo("kernels[1].source.build.fragments[0]: no such file \"a.config\" (resolved to " + dir.toAbsolutePath().resolve("a.config") + ")");
        assertThat(error("{ build: { debian-source: linux-source-6.12, config: defconfig, patches: x.patch } }"))
                .isEqualTo("kernels[1].source.build.patches: expected a list of files, found a string \"x.patch\"");
    }

    @Test
    void buildBadValues() throws Exception {
        assertThat(error("{ build: { debian-source: linux-6.12, config: defconfig } }"))
                .startsWith("kernels[1].source.build.debian-source: bad Debian source package \"linux-6.12\"");
        assertThat(error("{ build: { debian-source: linux-source-6.12 } }"))
                .isEqualTo("kernels[1].source.build.config: missing (expected tinyconfig, defconfig or a config file)");
        Files.createDirectories(dir.resolve("linux"));
        assertThat(error("{ build: { tree: linux, suite: sid, config: defconfig } }"))
                .isEqualTo("kernels[1].source.build.suite: only applies to debian-source builds");
        assertThat(error("{ build: linux }")).startsWith("kernels[1].source.build: expected a mapping");
    }
}
