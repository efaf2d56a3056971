package dev.ringvm.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CacheDirsTest {
    @Test
    void overrideThenXdgThenHome() {
        assertThat(CacheDirs.root(Path.of("/o"), "/x", "/h")).isEqualTo(Path.of("/o"));
        assertThat(CacheDirs.root(null, "/x", "/h")).isEqualTo(Path.of("/x/ringvm"));
        assertThat(CacheDirs.root(null, null, "/h")).isEqualTo(Path.of("/h/.cache/ringvm"));
        assertThat(CacheDirs.root(null, "", "/h")).isEqualTo(Path.of("/h/.cache/ringvm"));
        assertThat(CacheDirs.root(null, "relative", "/h")).isEqualTo(Path.of("/h/.cache/ringvm"));
        assertThat(CacheDirs.kernelImage(Path.of("/c"), "ab")).isEqualTo(Path.of("/c/kernels/ab/vmlinuz"));
    }
}
