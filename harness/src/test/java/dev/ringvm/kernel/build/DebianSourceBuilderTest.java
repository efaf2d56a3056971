package dev.ringvm.kernel.build;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.config.KernelSource;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.KernelUnavailableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builder's flow on a stand-in "kernel tree" (a Makefile whose targets write .config and a fake bzImage):
 * cache hit, the user's tree left untouched, a patch that does not apply, a fragment option olddefconfig drops,
 * a failing make. Needs make, patch and gcc on the host; no kernel source, no QEMU.
 */
@Requires(Capability.KERNEL_BUILD_TOOLS)
class DebianSourceBuilderTest {
    @TempDir Path dir;
    Path tree;
    Path cache;
    Path fragment;
    List<String> log = new ArrayList<>();

    @BeforeEach
    void fakeTree() throws Exception {
        tree = Files.createDirectories(dir.resolve("linux"));
        cache = dir.resolve("cache");
        Files.writeString(tree.resolve("Makefile"), """
                tinyconfig:
                \tprintf 'CONFIG_64BIT=y\\n' > .config
                olddefconfig:
                \t@true
                bzImage:
                \t@echo '  CC      kernel/fork.o'
                \t@if grep -q BROKEN hello.c; then echo 'hello.c:1:1: error: broken on purpose'; exit 2; fi
                \tmkdir -p arch/x86/boot && cp .config arch/x86/boot/bzImage
                """);
        Files.writeString(tree.resolve("hello.c"), "int main(void) { return 0; }\n");
        Path kconfig = Files.createDirectories(tree.resolve("scripts/kconfig"));
        // a merge that keeps only CONFIG_64BIT and CONFIG_IO_URING: anything else is "dropped by a dependency"
        Path merge = Files.writeString(kconfig.resolve("merge_config.sh"), """
                #!/bin/sh
                shift 2
                grep -h -E '^CONFIG_(64BIT|IO_URING)=' "$@" >> .config
                """);
        Files.setPosixFilePermissions(merge, PosixFilePermissions.fromString("rwxr-xr-x"));
        fragment = Files.writeString(dir.resolve("guest.config"), "CONFIG_IO_URING=y\n");
    }

    private DebianSourceBuilder builder() {
        return new DebianSourceBuilder(cache, new AptRepo(cache, s -> {}), 2);
    }

    private KernelSource.BuildSource source(List<Path> fragments, List<Path> patches) {
        return new KernelSource.BuildSource(tree, null, null, "tinyconfig", fragments, patches);
    }

    private Path patch(String name, String from, String to) throws Exception {
        return Files.writeString(dir.resolve(name), """
                --- a/hello.c
                +++ b/hello.c
                @@ -1 +1 @@
                -%s
                +%s
                """.formatted(from, to));
    }

    @Test
    void buildsPatchesAndCachesWithoutTouchingTheTree() throws Exception {
        Path p = patch("ok.patch", "int main(void) { return 0; }", "int main(void) { return 1; }");
        Path image = builder().build("t", source(List.of(fragment), List.of(p)), log::add);
        assertThat(Files.readString(image)).contains("CONFIG_64BIT=y", "CONFIG_IO_URING=y");
        assertThat(image.getParent().resolve("build.log")).content().contains("patching file hello.c", "  CC      kernel/fork.o");
        assertThat(image.getParent().resolve("config")).exists();
        assertThat(Files.readString(tree.resolve("hello.c"))).contains("return 0");
        assertThat(tree.resolve(".config")).doesNotExist();
        assertThat(cache.resolve("builds/work")).isEmptyDirectory();
        assertThat(log).anyMatch(l -> l.contains("patch ok.patch")).anyMatch(l -> l.contains("compile: done"));

        log.clear();
        assertThat(builder().build("t", source(List.of(fragment), List.of(p)), log::add)).isEqualTo(image);
        assertThat(log).singleElement().asString().contains("cached");

        Files.writeString(fragment, "CONFIG_IO_URING=y\nCONFIG_64BIT=y\n");
        assertThat(builder().build("t", source(List.of(fragment), List.of(p)), log::add)).isNotEqualTo(image);
    }

    @Test
    void aPatchThatDoesNotApplyIsNamedWithPatchOutput() throws Exception {
        Path bad = patch("bad.patch", "no such line", "x");
        assertThatThrownBy(() -> builder().build("t", source(List.of(), List.of(bad)), log::add))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessageContaining("bad.patch does not apply")
                .hasMessageContaining("FAILED")
                .hasMessageContaining("build.log");
    }

    @Test
    void aFragmentOptionDroppedByOlddefconfigFailsTheBuildListingIt() throws Exception {
        Files.writeString(fragment, "CONFIG_IO_URING=y\nCONFIG_HUGETLBFS=y\n# CONFIG_64BIT is not set\n");
        assertThatThrownBy(() -> builder().build("t", source(List.of(fragment), List.of()), log::add))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessageContaining("CONFIG_HUGETLBFS=y (got: not set)")
                .hasMessageContaining("# CONFIG_64BIT is not set".isEmpty() ? "" : "CONFIG_64BIT=n (got: y)")
                .message().doesNotContain("CONFIG_IO_URING");
    }

    @Test
    void aCompileErrorGivesTheLogPathAndTheErrorLine() throws Exception {
        Path p = patch("break.patch", "int main(void) { return 0; }", "BROKEN");
        assertThatThrownBy(() -> builder().build("t", source(List.of(), List.of(p)), log::add))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessageContaining("make bzImage failed (exit 2)")
                .hasMessageContaining("hello.c:1:1: error: broken on purpose")
                .hasMessageMatching(".*\\(log: .*/builds/[0-9a-f]{64}/build\\.log\\)");
        assertThat(cache.resolve("builds/work")).as("a failed build leaves its log, not its work tree").isEmptyDirectory();
    }

    @Test
    void needsExactlyOneSource() {
        var both = new KernelSource.BuildSource(tree, "linux-source-6.12", "trixie", "tinyconfig", List.of(), List.of());
        assertThatThrownBy(() -> builder().build("t", both, log::add)).hasMessageContaining("exactly one of tree and debian-source");
    }
}
