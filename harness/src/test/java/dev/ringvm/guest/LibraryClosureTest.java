package dev.ringvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LibraryClosureTest {
    static final Path JAVA = Path.of("/rt/bin/java");
    static final Path LIBJVM = Path.of("/rt/lib/server/libjvm.so");
    static final Path LIBZIP = Path.of("/rt/lib/libzip.so");
    static final Map<String, Path> POOL = Map.of(
            "libc.so.6", Path.of("/pool/libc.so.6"),
            "libm.so.6", Path.of("/pool/libm.so.6"),
            "ld-linux-aarch64.so.1", Path.of("/pool/ld-linux-aarch64.so.1"),
            "libstdc++.so.6", Path.of("/pool/libstdc++.so.6"),
            "libgcc_s.so.1", Path.of("/pool/libgcc_s.so.1"),
            "libz.so.1", Path.of("/pool/libz.so.1"),
            "libunused.so.1", Path.of("/pool/libunused.so.1"));
    /** What java.base's binaries need on Debian arm64 (readelf -d), cut down. */
    static final Map<Path, List<String>> NEEDED = Map.of(
            JAVA, List.of("libjli.so", "libc.so.6"),
            LIBJVM, List.of("libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6", "ld-linux-aarch64.so.1"),
            LIBZIP, List.of("libz.so.1", "libjava.so", "libjvm.so", "libc.so.6"),
            Path.of("/pool/libc.so.6"), List.of("ld-linux-aarch64.so.1"),
            Path.of("/pool/libm.so.6"), List.of("libc.so.6", "ld-linux-aarch64.so.1"),
            Path.of("/pool/libstdc++.so.6"), List.of("libm.so.6", "libc.so.6", "ld-linux-aarch64.so.1", "libgcc_s.so.1"),
            Path.of("/pool/libgcc_s.so.1"), List.of("libc.so.6"),
            Path.of("/pool/libz.so.1"), List.of("libc.so.6"),
            Path.of("/pool/ld-linux-aarch64.so.1"), List.of());

    @Test
    void everyNeededLibraryTransitivelyInFirstNeededOrderButNotTheRuntimesOwn() throws Exception {
        Map<String, Path> libs = LibraryClosure.resolve(List.of(JAVA, LIBJVM, LIBZIP), POOL,
                Set.of("libjli.so", "libjava.so", "libjvm.so"), NEEDED::get);
        assertThat(libs.keySet()).containsExactly("libc.so.6", "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1",
                "ld-linux-aarch64.so.1", "libz.so.1");
        assertThat(libs).containsEntry("libz.so.1", Path.of("/pool/libz.so.1")).doesNotContainKey("libunused.so.1");
    }

    @Test
    void aLibraryInNoPackageIsAnErrorNamingItAndWhoNeedsIt() {
        assertThatThrownBy(() -> LibraryClosure.resolve(List.of(LIBZIP), POOL, Set.of("libjava.so"), NEEDED::get))
                .hasMessage("library libjvm.so (needed by /rt/lib/libzip.so) is in none of the guest's packages");
    }
}
