package dev.ringvm.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirsTest {
    @Test
    void xdgCacheHomeWhenAbsoluteElseHomeCache() {
        assertThat(CacheDirs.defaultRoot(Map.of("XDG_CACHE_HOME", "/c"), "/h")).isEqualTo(Path.of("/c/ringvm"));
        assertThat(CacheDirs.defaultRoot(Map.of("XDG_CACHE_HOME", "rel"), "/h")).isEqualTo(Path.of("/h/.cache/ringvm"));
        assertThat(CacheDirs.defaultRoot(Map.of(), "/h")).isEqualTo(Path.of("/h/.cache/ringvm"));
    }
}
