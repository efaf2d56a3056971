package dev.ringvm.kernel.build;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BuildKeyTest {
    @TempDir Path dir;
    Path frag;
    Path patch1;
    Path patch2;
    Path baseFile;

    @BeforeEach
    void files() throws Exception {
        frag = Files.writeString(dir.resolve("guest.config"), "CONFIG_IO_URING=y\n");
        patch1 = Files.writeString(dir.resolve("1.patch"), "--- a/x\n+++ b/x\n");
        patch2 = Files.writeString(dir.resolve("2.patch"), "--- a/y\n+++ b/y\n");
        baseFile = Files.writeString(dir.resolve("base.config"), "CONFIG_64BIT=y\n");
    }

    private String key() throws Exception {
        return BuildKey.of("deb linux-source-6.12=6.12.117-1 @ trixie", "tinyconfig", List.of(frag),
                List.of(patch1, patch2), "gcc (Debian 12.2.0-14) 12.2.0");
    }

    @Test
    void stableForTheSameInputs() throws Exception {
        assertThat(key()).isEqualTo(key()).hasSize(64);
    }

    @Test
    void changesWhenAnyFragmentOrPatchByteChanges() throws Exception {
        String before = key();
        Files.writeString(frag, "CONFIG_IO_URING=n\n");
        String afterFrag = key();
        assertThat(afterFrag).isNotEqualTo(before);
        Files.writeString(patch2, "--- a/y\n+++ b/z\n");
        assertThat(key()).isNotEqualTo(afterFrag).isNotEqualTo(before);
    }

    @Test
    void changesWithSourceBaseCompilerAndPatchOrder() throws Exception {
        String k = key();
        assertThat(BuildKey.of("deb linux-source-6.12=6.12.118-1 @ trixie", "tinyconfig", List.of(frag), List.of(patch1, patch2), "gcc (Debian 12.2.0-14) 12.2.0")).isNotEqualTo(k);
        assertThat(BuildKey.of("deb linux-source-6.12=6.12.117-1 @ trixie", "defconfig", List.of(frag), List.of(patch1, patch2), "gcc (Debian 12.2.0-14) 12.2.0")).isNotEqualTo(k);
        assertThat(BuildKey.of("deb linux-source-6.12=6.12.117-1 @ trixie", "tinyconfig", List.of(frag), List.of(patch2, patch1), "gcc (Debian 12.2.0-14) 12.2.0")).isNotEqualTo(k);
        assertThat(BuildKey.of("deb linux-source-6.12=6.12.117-1 @ trixie", "tinyconfig", List.of(frag), List.of(patch1, patch2), "gcc (Debian 14.2.0-19) 14.2.0")).isNotEqualTo(k);
        // a fragment moved to the patch list is another build
        assertThat(BuildKey.of("deb linux-source-6.12=6.12.117-1 @ trixie", "tinyconfig", List.of(), List.of(frag, patch1, patch2), "gcc (Debian 12.2.0-14) 12.2.0")).isNotEqualTo(k);
    }

    @Test
    void aBaseConfigFileIsKeyedByItsBytes() throws Exception {
        String a = BuildKey.of("s", baseFile.toString(), List.of(), List.of(), "gcc");
        assertThat(BuildKey.of("s", baseFile.toString(), List.of(), List.of(), "gcc")).isEqualTo(a);
        Files.writeString(baseFile, "CONFIG_64BIT=n\n");
        assertThat(BuildKey.of("s", baseFile.toString(), List.of(), List.of(), "gcc")).isNotEqualTo(a);
    }

    @Test
    void theArchitectureIsPartOfTheKeyAndX86KeysAreUnchanged() throws Exception {
        String x86 = key();
        assertThat(BuildKey.of("deb linux-source-6.12=6.12.117-1 @ trixie", "tinyconfig", List.of(frag), List.of(patch1, patch2),
                "gcc (Debian 12.2.0-14) 12.2.0", dev.ringvm.config.Arch.X86_64)).isEqualTo(x86);
        assertThat(BuildKey.of("deb linux-source-6.12=6.12.117-1 @ trixie", "tinyconfig", List.of(frag), List.of(patch1, patch2),
                "gcc (Debian 12.2.0-14) 12.2.0", dev.ringvm.config.Arch.ARM64)).isNotEqualTo(x86).hasSize(64);
    }
}
