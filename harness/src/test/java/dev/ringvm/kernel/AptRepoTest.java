package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptRepoTest {

    @TempDir Path dir;

    private static final String DEB822 = """
            Types: deb
            # http://snapshot.example/archive/debian/20250520T000000Z
            URIs: http://mirror.example/debian
            Suites: bookworm bookworm-updates
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            URIs: http://mirror.example/debian-security
            Suites: bookworm-security
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
            """;

    @Test
    void mirrorFromDeb822TakesTheMainArchiveStanza() {
        assertThat(AptRepo.mirrorFromDeb822(DEB822)).contains("http://mirror.example/debian");
        String securityFirst = DEB822.substring(DEB822.indexOf("Types: deb", 10)) + "\n" + DEB822.substring(0, DEB822.indexOf("Types: deb", 10));
        assertThat(AptRepo.mirrorFromDeb822(securityFirst)).contains("http://mirror.example/debian");
        assertThat(AptRepo.mirrorFromDeb822("Types: deb\nURIs: http://x/debian-security\nSuites: bookworm-security\n")).isEmpty();
        assertThat(AptRepo.mirrorFromDeb822("Types: deb\nURIs: http://x/debian/\nSuites: trixie\nEnabled: no\n")).isEmpty();
        assertThat(AptRepo.mirrorFromDeb822("Types: deb-src deb\nURIs: http://x/debian/\nSuites: trixie\n")).contains("http://x/debian");
    }

    @Test
    void mirrorFromOneLineSourcesList() {
        String text = """
                # comment
                deb https://other.example/apt cloud-sdk-bookworm main
                deb http://mirror.example/debian-security bookworm-security main
                deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm main contrib
                """;
        assertThat(AptRepo.mirrorFromSourcesList(text)).contains("http://mirror.example/debian");
        assertThat(AptRepo.mirrorFromSourcesList("deb https://other.example/apt cloud-sdk-bookworm main\n")).isEmpty();
    }

    @Test
    void mirrorFromHostFallsBackToSourcesListThenFails() throws Exception {
        Path deb822 = dir.resolve("debian.sources");
        Path list = Files.writeString(dir.resolve("sources.list"), "deb http://m.example/debian trixie main\n");
        assertThat(AptRepo.mirrorFromHost(deb822, list)).isEqualTo("http://m.example/debian");
        Files.writeString(deb822, DEB822);
        assertThat(AptRepo.mirrorFromHost(deb822, list)).isEqualTo("http://mirror.example/debian");
        assertThatThrownBy(() -> AptRepo.mirrorFromHost(dir.resolve("none"), dir.resolve("none2")))
                .isInstanceOf(AptException.class).hasMessageStartingWith("apt: no Debian mirror found in ");
    }

    @Test
    void privateOptionsPointEveryPathIntoTheSuiteDirectory() {
        Path d = Path.of("/c/apt/trixie");
        List<String> o = AptRepo.options(d);
        assertThat(o).contains("Dir::Etc::SourceList=/c/apt/trixie/etc/sources.list",
                "Dir::Etc::SourceParts=/c/apt/trixie/etc/sources.list.d",
                "Dir::State::Lists=/c/apt/trixie/lists", "Dir::State::status=/c/apt/trixie/state/status",
                "Dir::Etc::Preferences=/c/apt/trixie/etc/preferences", "Dir::Etc::PreferencesParts=/c/apt/trixie/etc/preferences.d",
                "Dir::Cache=/c/apt/trixie/cache", "Dir::Cache::srcpkgcache=", "APT::Architecture=amd64");
        for (int i = 0; i < o.size(); i++) {
            if (o.get(i).startsWith("Dir::") && !o.get(i).endsWith("=")) assertThat(o.get(i)).contains("=/c/apt/trixie/");
        }
        assertThat(String.join(" ", o)).doesNotContainIgnoringCase("trusted=yes").doesNotContainIgnoringCase("AllowInsecure")
                .doesNotContainIgnoringCase("AllowUnauthenticated");
    }

    @Test
    void sourcesLineIsSignedBy() {
        assertThat(AptRepo.sourcesLine("http://m.example/debian", "sid"))
                .isEqualTo("deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://m.example/debian sid main\n");
    }

    @Test
    void badSuiteNameIsRefusedBeforeAnyPathIsBuilt() {
        AptRepo repo = new AptRepo(dir, "http://m.example/debian", AptRepo.DEFAULT_MAX_LIST_AGE, AptRepo.DEFAULT_TIMEOUT, s -> {});
        assertThatThrownBy(() -> repo.ensureLists("../etc")).hasMessage("apt: bad suite name \"../etc\"");
    }

    @Test
    void theSuiteLockExcludesOtherThreadsAndIsReentrant() throws Exception {
        AptRepo repo = new AptRepo(dir, "http://m.example/debian", AptRepo.DEFAULT_MAX_LIST_AGE, AptRepo.DEFAULT_TIMEOUT, s -> {});
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxInside = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    repo.withSuite("trixie", () -> repo.withSuite("trixie", () -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        for (int k = 0; k < 1000; k++) Thread.yield();
                        inside.decrementAndGet();
                        return null;
                    }));
                } catch (AptException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(dir.resolve("apt").resolve("trixie.lock")).exists();
    }

    @Test
    void parsesAptCacheShow() {
        String out = """
                Package: linux-image-7.2.13+deb14-cloud-amd64
                Source: linux-signed-amd64 (7.2.13+1)
                Version: 7.2.13-1
                Installed-Size: 15
                Depends: dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, linux-base-7.2.13+deb14-cloud-amd64 (= 7.2.13-1), linux-binary-7.2.13+deb14-cloud-amd64 (= 7.2.13-1)
                Description: Linux 7.2.13 for x86-64 cloud

                Package: linux-libc-dev
                Version: 6.12.117-1
                Depends: libc6:any

                Package: linux-libc-dev
                Version: 6.12.107-1
                """;
        List<PackageRef> refs = AptRepo.parseShow(out);
        assertThat(refs).extracting(PackageRef::name, PackageRef::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple("linux-image-7.2.13+deb14-cloud-amd64", "7.2.13-1"),
                org.assertj.core.groups.Tuple.tuple("linux-libc-dev", "6.12.117-1"),
                org.assertj.core.groups.Tuple.tuple("linux-libc-dev", "6.12.107-1"));
        assertThat(refs.getFirst().depends()).containsExactly("dracut", "initramfs-tools", "linux-initramfs-tool",
                "linux-base-7.2.13+deb14-cloud-amd64", "linux-binary-7.2.13+deb14-cloud-amd64");
        assertThat(refs.get(1).depends()).containsExactly("libc6");
    }

    @Test
    void globs() {
        assertThat(AptRepo.globToRegex("linux-image-*-cloud-amd64").matcher("linux-image-6.12.57+deb13-cloud-amd64").matches()).isTrue();
        assertThat(AptRepo.globToRegex("linux-image-*-cloud-amd64").matcher("linux-image-cloud-amd64").matches()).isFalse();
        assertThat(AptRepo.globToRegex("linux-image-*-cloud-amd64").matcher("linux-image-6.1.0-50-cloud-amd64-dbg").matches()).isFalse();
        assertThat(AptRepo.globToRegex("linux-image-6.*-cloud-amd64").matcher("linux-image-7.0.4+deb13-cloud-amd64").matches()).isFalse();
        assertThat(AptRepo.globToRegex("linux-image-[67].?*").matcher("linux-image-7.3-cloud-amd64").matches()).isTrue();
        assertThat(AptRepo.literalPrefix("linux-image-*-cloud-amd64")).isEqualTo("linux-image-");
        assertThat(AptRepo.isGlob("linux-libc-dev")).isFalse();
    }

    @Test
    void skipsMetaAndVariantPackagesUnlessAskedFor() {
        assertThat(AptRepo.isVariantOrMeta("linux-image-cloud-amd64", "linux-image-*")).isTrue();
        assertThat(AptRepo.isVariantOrMeta("linux-image-cloud-amd64", "linux-image-cloud-*")).isFalse();
        assertThat(AptRepo.isVariantOrMeta("linux-image-6.1.0-50-cloud-amd64-dbg", "linux-image-*")).isTrue();
        assertThat(AptRepo.isVariantOrMeta("linux-image-6.1.0-50-cloud-amd64-dbg", "linux-image-*-dbg")).isFalse();
        assertThat(AptRepo.isVariantOrMeta("linux-image-6.1.0-50-amd64-unsigned", "linux-image-*")).isTrue();
        assertThat(AptRepo.isVariantOrMeta("linux-image-6.1.0-50-cloud-amd64", "linux-image-*")).isFalse();
    }

    @Test
    void newestIsByVersionThenReleaseInTheName() {
        List<PackageRef> refs = List.of(
                new PackageRef("linux-image-6.12.57+deb13-cloud-amd64", "6.12.57-1", List.of()),
                new PackageRef("linux-image-6.12.117+deb13-cloud-amd64", "6.12.117-1", List.of()),
                new PackageRef("linux-image-6.12.48+deb13-cloud-amd64", "6.12.48-1", List.of()));
        assertThat(refs.stream().max(AptRepo.NEWEST)).map(PackageRef::name).contains("linux-image-6.12.117+deb13-cloud-amd64");
        List<PackageRef> bpo = List.of(
                new PackageRef("linux-image-6.19.14+deb13-cloud-amd64", "6.19.14-1~bpo13+1", List.of()),
                new PackageRef("linux-image-7.3.4+deb13-cloud-amd64", "7.3.4-1~bpo13+1", List.of()),
                new PackageRef("linux-image-7.2.12+deb13-cloud-amd64", "7.2.12-1~bpo13+1", List.of()));
        assertThat(bpo.stream().max(AptRepo.NEWEST)).map(PackageRef::name).contains("linux-image-7.3.4+deb13-cloud-amd64");
        List<PackageRef> sameVersion = List.of(
                new PackageRef("linux-image-6.12.90+deb12.1-cloud-amd64", "6.12.90-1", List.of()),
                new PackageRef("linux-image-6.12.90+deb12-cloud-amd64", "6.12.90-1", List.of()));
        assertThat(sameVersion.stream().max(AptRepo.NEWEST)).map(PackageRef::name).contains("linux-image-6.12.90+deb12.1-cloud-amd64");
    }
}
