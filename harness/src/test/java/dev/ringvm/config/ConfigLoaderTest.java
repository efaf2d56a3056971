package dev.ringvm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @TempDir Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("kernels.yaml");
        Files.writeString(f, text);
        return f;
    }

    private String error(String text) throws IOException {
        Path f = yaml(text);
        try {
            ConfigLoader.load(f);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(f + ": ");
            return e.getMessage().substring(f.toString().length() + 2);
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    @Test
    void loadsAValidFile() throws Exception {
        Files.writeString(dir.resolve("bzImage"), "x");
        MatrixConfig c = ConfigLoader.load(yaml("""
                memory: [512M, 2G, 1GiB, 256MiB]
                kernels:
                  - id: debian-6.1
                    source: { apt: "linux-image-*-cloud-amd64", suite: bookworm }
                  - id: my-kernel
                    source: { path: ./bzImage }
                """));
        assertThat(c.memoryMiB()).containsExactly(512, 2048, 1024, 256);
        assertThat(c.kernels()).containsExactly(
                new KernelEntry("debian-6.1", new KernelSource.AptSource("linux-image-*-cloud-amd64", "bookworm")),
                new KernelEntry("my-kernel", new KernelSource.PathSource(dir.resolve("bzImage").toAbsolutePath())));
    }

    @Test
    void memoryDefaultsTo512MAnd2G() throws Exception {
        MatrixConfig c = ConfigLoader.load(yaml("kernels:\n  - id: a\n    source: { apt: linux-image-amd64, suite: sid }\n"));
        assertThat(c.memoryMiB()).containsExactly(512, 2048);
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("kernels.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class).hasMessage(f + ": no such file");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    source: { apt: x, suite: [\n")).matches("line \\d+, column \\d+: YAML syntax error: .*");
    }

    @Test
    void duplicateYamlKeyIsAnError() throws Exception {
        assertThat(error("kernels: []\nkernels: []\n")).contains("YAML syntax error").contains("kernels");
    }

    @Test
    void emptyFile() throws Exception {
        assertThat(error("")).startsWith("empty file");
    }

    @Test
    void unknownTopLevelKey() throws Exception {
        assertThat(error("kernel: []\n")).isEqualTo("kernel: unknown key (expected one of [kernels, memory])");
    }

    @Test
    void unknownKernelKey() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    name: b\n    source: { apt: x, suite: sid }\n"))
                .isEqualTo("kernels[0].name: unknown key (expected one of [arch, expect, id, source, unprivileged])");
    }

    @Test
    void unknownSourceKey() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    source: { apt: x, suite: sid, arch: arm64 }\n"))
                .isEqualTo("kernels[0].source.arch: unknown key (expected one of [apt, archive, build, components, deb, host, keyring, mainline, path, rpm, sha256, suite])");
    }

    @Test
    void missingKernels() throws Exception {
        assertThat(error("memory: [512M]\n")).startsWith("kernels: missing");
    }

    @Test
    void emptyKernels() throws Exception {
        assertThat(error("kernels: []\n")).startsWith("kernels: empty list");
    }

    @Test
    void kernelsNotAList() throws Exception {
        assertThat(error("kernels: { id: a }\n")).isEqualTo("kernels: expected a list, found a mapping");
    }

    @Test
    void kernelNotAMapping() throws Exception {
        assertThat(error("kernels: [ debian ]\n")).startsWith("kernels[0]: expected a mapping with id and source, found a string \"debian\"");
    }

    @Test
    void missingId() throws Exception {
        assertThat(error("kernels:\n  - source: { apt: x, suite: sid }\n")).isEqualTo("kernels[0].id: missing");
    }

    @Test
    void idOfWrongType() throws Exception {
        assertThat(error("kernels:\n  - id: 6.1\n    source: { apt: x, suite: sid }\n"))
                .isEqualTo("kernels[0].id: expected a string, found a number 6.1 (quote it)");
    }

    @Test
    void badIdCharacters() throws Exception {
        assertThat(error("kernels:\n  - id: my kernel\n    source: { apt: x, suite: sid }\n"))
                .startsWith("kernels[0].id: bad id \"my kernel\"");
    }

    @Test
    void duplicateId() throws Exception {
        assertThat(error("""
                kernels:
                  - id: debian-6.1
                    source: { apt: x, suite: bookworm }
                  - id: debian-6.1
                    source: { apt: y, suite: trixie }
                """)).isEqualTo("kernels[1].id: duplicate id \"debian-6.1\" (first at kernels[0])");
    }

    @Test
    void missingSource() throws Exception {
        assertThat(error("kernels:\n  - id: a\n")).startsWith("kernels[0].source: missing");
    }

    @Test
    void sourceOfWrongType() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    source: linux-image-amd64\n"))
                .startsWith("kernels[0].source: expected a mapping").endsWith("found a string \"linux-image-amd64\"");
    }

    @Test
    void sourceWithNoKind() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    source: { suite: sid }\n"))
                .isEqualTo("kernels[0].source: no source kind (expected exactly one of apt, path, deb, rpm, mainline, host, build)");
    }

    @Test
    void sourceWithTwoKinds() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    source: { apt: x, suite: sid, path: ./bz }\n"))
                .isEqualTo("kernels[0].source: more than one source kind [apt, path] (expected exactly one of apt, path, deb, rpm, mainline, host, build)");
    }

    @Test
    void aptWithoutSuite() throws Exception {
        assertThat(error("kernels:\n  - id: a\n  - id: b\n    source: { apt: linux-image-amd64 }\n"))
                .startsWith("kernels[0].source: missing");
        assertThat(error("kernels:\n  - id: a\n    source: { apt: x, suite: sid }\n  - id: b\n    source: { apt: linux-image-amd64 }\n"))
                .startsWith("kernels[1].source.suite: missing");
    }

    @Test
    void suiteOfWrongType() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    source: { apt: x, suite: [sid] }\n"))
                .isEqualTo("kernels[0].source.suite: expected a string, found a list");
    }

    @Test
    void badPackageGlob() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    source: { apt: \"Linux Image\", suite: sid }\n"))
                .isEqualTo("kernels[0].source.apt: bad package name or glob \"Linux Image\"");
    }

    @Test
    void suiteWithPath() throws Exception {
        Files.writeString(dir.resolve("bz"), "x");
        assertThat(error("kernels:\n  - id: a\n    source: { path: bz, suite: sid }\n"))
                .isEqualTo("kernels[0].source.suite: only applies to apt sources");
    }

    @Test
    void pathMissing() throws Exception {
        assertThat(error("kernels:\n  - id: a\n    source: { path: ./bzImage }\n"))
                .isEqualTo("kernels[0].source.path: no such file \"./bzImage\" (resolved to " + dir.toAbsolutePath().resolve("bzImage") + ")");
    }

    @Test
    void pathIsADirectory() throws Exception {
        Files.createDirectory(dir.resolve("kdir"));
        assertThat(error("kernels:\n  - id: a\n    source: { path: kdir }\n"))
                .startsWith("kernels[0].source.path: not a regular file \"kdir\"");
    }

    @Test
    void pathResolvesAgainstTheYamlDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("bzImage"), "x");
        Path f = sub.resolve("kernels.yaml");
        Files.writeString(f, "kernels:\n  - id: a\n    source: { path: ../bzImage }\n");
        MatrixConfig c = ConfigLoader.load(f);
        assertThat(((KernelSource.PathSource) c.kernels().getFirst().source()).path())
                .isEqualTo(dir.toAbsolutePath().resolve("bzImage"));
    }

    @Test
    void memoryWithoutUnit() throws Exception {
        assertThat(error("memory: [512, 2G]\nkernels:\n  - id: a\n    source: { apt: x, suite: sid }\n"))
                .isEqualTo("memory[0]: size 512 needs a unit (like 512M)");
    }

    @Test
    void memoryTooSmall() throws Exception {
        assertThat(error("memory: [512M, 64M]\nkernels:\n  - id: a\n    source: { apt: x, suite: sid }\n"))
                .isEqualTo("memory[1]: memory size \"64M\" is below the minimum of 128M");
    }

    @Test
    void memoryBadSize() throws Exception {
        assertThat(error("memory: [2T]\nkernels:\n  - id: a\n    source: { apt: x, suite: sid }\n"))
                .startsWith("memory[0]: bad memory size \"2T\"");
    }

    @Test
    void memoryEmptyOrDuplicate() throws Exception {
        assertThat(error("memory: []\nkernels:\n  - id: a\n    source: { apt: x, suite: sid }\n")).startsWith("memory: empty list");
        assertThat(error("memory: [1G, 1024M]\nkernels:\n  - id: a\n    source: { apt: x, suite: sid }\n"))
                .isEqualTo("memory[1]: duplicate size \"1024M\"");
        assertThat(error("memory: { a: 1 }\nkernels:\n  - id: a\n    source: { apt: x, suite: sid }\n"))
                .startsWith("memory: expected a list of sizes");
    }

    @ParameterizedTest
    @CsvSource({"512M,512", "2G,2048", "1GiB,1024", "256MiB,256", "128M,128", "4g,4096", "' 3G ',3072"})
    void parsesSizes(String size, int mib) throws Exception {
        assertThat(ConfigLoader.parseMemoryMiB(size)).isEqualTo(mib);
    }

    @Test
    void parsesMemoryList() throws Exception {
        assertThat(ConfigLoader.parseMemoryList("512M,2G")).isEqualTo(List.of(512, 2048));
        assertThat(ConfigLoader.parseMemoryList(" 1G , 256M ")).isEqualTo(List.of(1024, 256));
        assertThatThrownBy(() -> ConfigLoader.parseMemoryList("512M,,2G")).hasMessage("--memory: bad memory size \"\" (expected a number with M or G, like 512M or 2G)");
        assertThatThrownBy(() -> ConfigLoader.parseMemoryList("100M")).hasMessage("--memory: memory size \"100M\" is below the minimum of 128M");
        assertThatThrownBy(() -> ConfigLoader.parseMemoryList("1G,1G")).hasMessage("--memory: duplicate size \"1G\"");
        assertThatThrownBy(() -> ConfigLoader.parseMemoryList("")).hasMessageStartingWith("--memory: empty list");
    }
}
