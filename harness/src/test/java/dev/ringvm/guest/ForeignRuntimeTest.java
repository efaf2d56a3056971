package dev.ringvm.guest;

import dev.ringvm.config.Arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's library sysroot from extracted packages, on synthetic aarch64 ELF files (nothing is run). */
class ForeignRuntimeTest {
    static final int A64 = ElfFile.EM_AARCH64;

    /** The extracted library packages as Debian lays them out: usr/lib/aarch64-linux-gnu, soname links. */
    static Path pool(Path dir) throws Exception {
        Path multiarch = Files.createDirectories(dir.resolve("usr/lib/aarch64-linux-gnu"));
        Files.write(multiarch.resolve("ld-linux-aarch64.so.1"), ElfFileTest.elf(A64, null, List.of()));
        Files.write(multiarch.resolve("libc.so.6"), ElfFileTest.elf(A64, null, List.of("ld-linux-aarch64.so.1")));
        Files.write(multiarch.resolve("libz.so.1.3.1"), ElfFileTest.elf(A64, null, List.of("libc.so.6")));
        Files.createSymbolicLink(multiarch.resolve("libz.so.1"), Path.of("libz.so.1.3.1"));
        Files.write(multiarch.resolve("libunused.so.1"), ElfFileTest.elf(A64, null, List.of("libc.so.6")));
        Files.createDirectories(dir.resolve("usr/share/doc/libc6"));
        Files.writeString(dir.resolve("usr/share/doc/libc6/libc.so.6"), "not a library, not in the pool");
        // the package's own /usr/lib/ld-linux-aarch64.so.1 link is outside the multiarch directory
        Files.createSymbolicLink(dir.resolve("usr/lib/ld-linux-aarch64.so.1"), Path.of("aarch64-linux-gnu/ld-linux-aarch64.so.1"));
        return dir;
    }

    static Path runtime(Path dir, int machine) throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("lib/server"));
        Files.write(dir.resolve("bin/java"), ElfFileTest.elf(machine, "/lib/ld-linux-aarch64.so.1", List.of("libjli.so", "libc.so.6")));
        Files.write(dir.resolve("lib/libjli.so"), ElfFileTest.elf(machine, null, List.of("libz.so.1", "libc.so.6")));
        Files.write(dir.resolve("lib/server/libjvm.so"), ElfFileTest.elf(machine, null, List.of("libc.so.6")));
        Files.writeString(dir.resolve("lib/modules"), "jimage");
        return dir;
    }

    @Test
    void poolIsTheMultiarchDirectoryByFileNameLinksIncluded(@TempDir Path dir) throws Exception {
        Map<String, Path> pool = ForeignRuntime.libraryPool(pool(dir), Arch.ARM64);
        assertThat(pool.keySet()).containsExactlyInAnyOrder("ld-linux-aarch64.so.1", "libc.so.6", "libz.so.1.3.1",
                "libz.so.1", "libunused.so.1");
        assertThat(pool.get("libc.so.6")).isEqualTo(dir.resolve("usr/lib/aarch64-linux-gnu/libc.so.6"));
    }

    @Test
    void sysrootHoldsTheClosureAsRealFilesAndTheInterpreterLink(@TempDir Path dir) throws Exception {
        Map<String, Path> pool = ForeignRuntime.libraryPool(pool(dir.resolve("pool")), Arch.ARM64);
        Path sysroot = dir.resolve("sysroot");
        List<String> written = ForeignRuntime.sysroot(runtime(dir.resolve("rt"), A64), pool, Arch.ARM64, sysroot);
        assertThat(written).containsExactly("/lib/aarch64-linux-gnu/libc.so.6",
                "/lib/aarch64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1",
                "/lib/ld-linux-aarch64.so.1");
        Path libz = sysroot.resolve("lib/aarch64-linux-gnu/libz.so.1");
        assertThat(Files.isSymbolicLink(libz)).isFalse();
        assertThat(Files.readAllBytes(libz)).isEqualTo(Files.readAllBytes(dir.resolve("pool/usr/lib/aarch64-linux-gnu/libz.so.1.3.1")));
        assertThat(Files.isExecutable(libz)).isTrue();
        assertThat(Files.readSymbolicLink(sysroot.resolve("lib/ld-linux-aarch64.so.1")))
                .isEqualTo(Path.of("aarch64-linux-gnu/ld-linux-aarch64.so.1"));
        try (Stream<Path> s = Files.walk(sysroot)) {
            assertThat(s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("libc.so.6", "libz.so.1", "ld-linux-aarch64.so.1");
        }
    }

    @Test
    void aRuntimeOfAnotherArchitectureIsRefused(@TempDir Path dir) throws Exception {
        Map<String, Path> pool = ForeignRuntime.libraryPool(pool(dir.resolve("pool")), Arch.ARM64);
        Path rt = runtime(dir.resolve("rt"), ElfFile.EM_X86_64);
        assertThatThrownBy(() -> ForeignRuntime.sysroot(rt, pool, Arch.ARM64, dir.resolve("sysroot")))
                .hasMessage(rt.resolve("bin/java") + ": ELF machine 62, expected 183 (arm64)");
    }

    @Test
    void platformNamesAreJmods() {
        assertThat(ForeignRuntime.targetPlatform(Arch.ARM64)).isEqualTo("linux-aarch64");
        assertThat(ForeignRuntime.targetPlatform(Arch.X86_64)).isEqualTo("linux-amd64");
    }
}
