package dev.ringvm.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * YAML anchors and aliases are refused with the line they are on (Jackson's tree would read {@code *k} as a string
 * "k"), and ids that name a directory ({@code .}, {@code ..}) are refused.
 */
class YamlInputTest {
    @TempDir Path dir;

    private Path yaml(String text) throws Exception {
        Files.writeString(dir.resolve("k"), "a file named k: what an alias would have been read as");
        return Files.writeString(dir.resolve("kernels.yaml"), text);
    }

    @Test
    void anAliasAsAPathIsRefusedNotReadAsAFileNamedAfterTheAnchor() throws Exception {
        Path f = yaml("""
                defaults: &k /boot/vmlinuz
                kernels:
                  - id: a
                    source: { path: *k }
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + ": line 4, column 21: YAML alias *k: anchors and aliases are not supported in"
                        + " kernels.yaml; write the value out in full");
    }

    @Test
    void anAliasedSourceIsRefusedAtTheAlias() throws Exception {
        Path f = yaml("""
                kernels:
                  - id: a
                    source: &s { apt: "linux-image-*-cloud-amd64", suite: trixie }
                  - id: b
                    source: *s
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ": line 3, column 13: YAML anchor &s: anchors and aliases are not supported");
        Path g = yaml("""
                kernels:
                  - id: b
                    source: *s
                """);
        assertThatThrownBy(() -> ConfigLoader.load(g)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(g + ": line 3, column ");
    }

    @Test
    void idsThatNameADirectoryAreRefused() throws Exception {
        for (String id : new String[] {".", ".."}) {
            Path f = yaml("kernels:\n  - id: \"" + id + "\"\n    source: { host: true }\n");
            assertThatThrownBy(() -> ConfigLoader.load(f)).as(id).isInstanceOf(ConfigException.class)
                    .hasMessage(f + ": kernels[0].id: bad id \"" + id + "\" (it names a directory: run directories and"
                            + " logs are named after ids)");
        }
    }
}
