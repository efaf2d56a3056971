package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The private apt tree of an arm64 target: its own directory, sources line and apt architecture. */
class AptTargetArchTest {

    @Test
    void anArm64TargetHasATreeOfItsOwnBesideTheAmd64One() {
        KernelSource.AptSource src = new KernelSource.AptSource("linux-image-*-arm64-16k", "trixie");
        assertThat(AptTarget.of(src).key()).isEqualTo("trixie");
        assertThat(AptTarget.of(src, Arch.X86_64).key()).isEqualTo("trixie");
        assertThat(AptTarget.of(src, Arch.ARM64).key()).isEqualTo("trixie-arm64");
        assertThat(AptTarget.of(src, Arch.ARM64).describe()).isEqualTo("trixie (arm64)");
        assertThat(AptTarget.host("trixie", Arch.ARM64)).isEqualTo(AptTarget.of(src, Arch.ARM64));
        KernelSource.AptSource other = new KernelSource.AptSource("linux-image-*-generic", "noble", "http://a.example/ubuntu",
                Path.of("/k/ubuntu.gpg"), List.of("main"));
        String amd64 = AptTarget.of(other).key();
        String arm64 = AptTarget.of(other, Arch.ARM64).key();
        assertThat(amd64).startsWith("noble.");
        assertThat(arm64).isEqualTo("noble-arm64" + amd64.substring("noble".length()));
        assertThat(AptTarget.of(other, Arch.ARM64).describe()).isEqualTo("noble (arm64) from http://a.example/ubuntu");
    }

    @Test
    void theSourcesLineAndAptOptionsNameArm64AndNothingOfTheHostsDpkg() {
        assertThat(AptDirectory.sourcesLine("http://m.example/debian", "trixie", Path.of("/k/debian.gpg"), List.of("main"), Arch.ARM64))
                .isEqualTo("deb [arch=arm64 signed-by=/k/debian.gpg] http://m.example/debian trixie main\n");
        Path d = Path.of("/c/apt/trixie-arm64");
        List<String> o = AptDirectory.options(d, Arch.ARM64);
        assertThat(o).contains("APT::Architecture=arm64", "APT::Architectures=arm64",
                "Dir::State::status=/c/apt/trixie-arm64/state/status")
                .doesNotContain("APT::Architecture=amd64", "APT::Architectures=amd64");
        // every path apt reads or writes is inside the private tree: the host's dpkg database is never opened
        assertThat(o.stream().filter(s -> s.startsWith("Dir::") && s.contains("=/")))
                .allSatisfy(s -> assertThat(s.substring(s.indexOf('=') + 1)).startsWith(d.toString()));
        assertThat(AptDirectory.options(Path.of("/c/apt/trixie"))).contains("APT::Architecture=amd64");
    }
}
