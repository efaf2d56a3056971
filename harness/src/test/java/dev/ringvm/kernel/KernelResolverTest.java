package dev.ringvm.kernel;

import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelResolverTest {

    @TempDir Path dir;
    private Path cache;
    private Path lockFile;
    private final List<String> log = new ArrayList<>();
    private FakeArchive archive;
    private KernelResolver resolver;

    /** An in-memory suite: packages with versions, depends and .deb contents; counts network-ish calls. */
    final class FakeArchive implements PackageArchive {
        final Map<String, List<PackageRef>> packages = new HashMap<>();
        final Map<String, Map<String, byte[]>> contents = new HashMap<>();
        final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

        void add(String name, String version, List<String> depends, Map<String, byte[]> files) {
            packages.computeIfAbsent(name, k -> new ArrayList<>()).add(new PackageRef(name, version, depends));
            contents.put(name + "=" + version, files);
        }

        void remove(String name) {
            packages.remove(name);
        }

        @Override public PackageRef newestKernelImage(AptTarget t, String glob) throws AptException {
            calls.add("newestKernelImage " + glob);
            var matches = KernelPackages.glob(glob);
            return packages.values().stream().flatMap(List::stream)
                    .filter(r -> matches.test(r.name()) && !KernelPackages.isVariantOrMeta(r.name(), glob))
                    .max(KernelPackages.NEWEST).orElseThrow(() -> new AptException("apt " + t.suite() + ": no package matches " + glob));
        }

        @Override public PackageRef newest(AptTarget t, String pkg) throws AptException {
            calls.add("newest " + pkg);
            return packages.getOrDefault(pkg, List.of()).stream().max(KernelPackages.NEWEST)
                    .orElseThrow(() -> new AptException("apt " + t.suite() + ": no package " + pkg));
        }

        @Override public List<PackageRef> show(AptTarget t, List<String> names) {
            calls.add("show " + names);
            return names.stream().flatMap(n -> packages.getOrDefault(n, List.of()).stream()).toList();
        }

        @Override public Path download(AptTarget t, PackageRef ref, Path destDir) throws AptException {
            calls.add("download " + ref.pinned());
            try {
                Files.createDirectories(destDir);
                return TestDebs.deb(destDir.resolve(ref.name() + ".deb"), "xz", contents.get(ref.pinned()));
            } catch (IOException e) {
                throw new AptException(e.getMessage());
            }
        }
    }

    @BeforeEach
    void setUp() {
        cache = dir.resolve("cache");
        lockFile = dir.resolve("kernels.lock");
        archive = new FakeArchive();
        resolver = new KernelResolver(cache, lockFile, archive, log::add, Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));
    }

    private static Map<String, byte[]> bootImage(String release) {
        return TestDebs.files("./boot/vmlinuz-" + release, TestDebs.bzImage(release + " (builder@example.org) #1 SMP"));
    }

    private static final KernelEntry TRIXIE = new KernelEntry("debian-6.12",
            new KernelSource.AptSource("linux-image-*-cloud-amd64", "trixie"));

    private void trixie() {
        archive.add("linux-image-cloud-amd64", "6.12.117-1", List.of("linux-image-6.12.117+deb13-cloud-amd64"), TestDebs.files("./usr/share/doc/x", "x"));
        archive.add("linux-image-6.12.57+deb13-cloud-amd64", "6.12.57-1", List.of("kmod"), bootImage("6.12.57+deb13-cloud-amd64"));
        archive.add("linux-image-6.12.117+deb13-cloud-amd64", "6.12.117-1", List.of("kmod"), bootImage("6.12.117+deb13-cloud-amd64"));
        archive.add("linux-image-6.12.117+deb13-cloud-amd64-dbg", "6.12.117-1", List.of(), TestDebs.files("./usr/lib/debug/x", "x"));
    }

    @Test
    void pathSourceIsHashedAndReadInPlace() throws Exception {
        Path bz = Files.write(dir.resolve("bzImage"), TestDebs.bzImage("6.18.0-rc1+ (me@host) #3 SMP"));
        ResolvedKernel k = resolver.resolve(new KernelEntry("mine", new KernelSource.PathSource(bz)));
        assertThat(k.image()).isEqualTo(bz.toAbsolutePath());
        assertThat(k.release()).isEqualTo("6.18.0-rc1+");
        assertThat(k.sha256()).isEqualTo(Sha256.hex(bz)).hasSize(64);
        assertThat(k.packageName()).isNull();
        assertThat(archive.calls).isEmpty();
    }

    @Test
    void pathSourceThatIsNotABzImage() throws Exception {
        Path bz = Files.writeString(dir.resolve("vmlinux"), "ELF...");
        assertThatThrownBy(() -> resolver.resolve(new KernelEntry("mine", new KernelSource.PathSource(bz))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessage("kernel mine: " + bz + ": not a kernel image (neither an x86 bzImage, HdrS at 0x202, nor an arm64"
                        + " Image, ARM\\x64 at 0x38, raw or gzip-compressed)");
    }

    @Test
    void aptSourcePicksTheNewestRealImageStoresAndPinsIt() throws Exception {
        trixie();
        ResolvedKernel k = resolver.resolve(TRIXIE);
        assertThat(k.packageName()).isEqualTo("linux-image-6.12.117+deb13-cloud-amd64");
        assertThat(k.packageVersion()).isEqualTo("6.12.117-1");
        assertThat(k.release()).isEqualTo("6.12.117+deb13-cloud-amd64");
        assertThat(k.image()).isEqualTo(cache.toAbsolutePath().resolve("kernels").resolve(k.sha256()).resolve("vmlinuz"));
        assertThat(Sha256.hex(k.image())).isEqualTo(k.sha256());
        assertThat(new KernelLock(lockFile).get("debian-6.12")).hasValueSatisfying(e -> {
            assertThat(e.source()).isEqualTo("apt linux-image-*-cloud-amd64 @ trixie");
            assertThat(e.packageName()).isEqualTo("linux-image-6.12.117+deb13-cloud-amd64");
            assertThat(e.sha256()).isEqualTo(k.sha256());
            assertThat(e.resolvedAt()).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
        });
        try (var s = Files.list(cache.resolve("tmp"))) {
            assertThat(s.toList()).as("work directories are removed").isEmpty();
        }
    }

    @Test
    void aPinnedCachedImageNeedsNoArchive() throws Exception {
        trixie();
        ResolvedKernel first = resolver.resolve(TRIXIE);
        archive.add("linux-image-6.12.120+deb13-cloud-amd64", "6.12.120-1", List.of(), bootImage("6.12.120+deb13-cloud-amd64"));
        archive.calls.clear();
        ResolvedKernel again = resolver.resolve(TRIXIE);
        assertThat(again).isEqualTo(first);
        assertThat(archive.calls).isEmpty();
        assertThat(log).anyMatch(m -> m.contains("from kernels.lock (cached)"));
        assertThat(resolver.resolve(TRIXIE, true).packageName()).isEqualTo("linux-image-6.12.120+deb13-cloud-amd64");
    }

    @Test
    void aCorruptCachedImageIsFetchedAgainAtThePinnedVersion() throws Exception {
        trixie();
        ResolvedKernel first = resolver.resolve(TRIXIE);
        Files.writeString(first.image(), "garbage");
        archive.add("linux-image-6.12.120+deb13-cloud-amd64", "6.12.120-1", List.of(), bootImage("6.12.120+deb13-cloud-amd64"));
        archive.calls.clear();
        ResolvedKernel again = resolver.resolve(TRIXIE);
        assertThat(again).isEqualTo(first);
        assertThat(Sha256.hex(again.image())).isEqualTo(first.sha256());
        assertThat(archive.calls).contains("download linux-image-6.12.117+deb13-cloud-amd64=6.12.117-1");
        assertThat(log).anyMatch(m -> m.contains("does not match its sha256"));
    }

    @Test
    void aPinnedVersionGoneFromTheArchiveIsResolvedAnewAndSaidSo() throws Exception {
        trixie();
        ResolvedKernel first = resolver.resolve(TRIXIE);
        Files.delete(first.image());
        archive.remove("linux-image-6.12.117+deb13-cloud-amd64");
        ResolvedKernel again = resolver.resolve(TRIXIE);
        assertThat(again.packageName()).isEqualTo("linux-image-6.12.57+deb13-cloud-amd64");
        assertThat(log).anyMatch(m -> m.contains("is no longer in trixie; resolving anew"));
        assertThat(new KernelLock(lockFile).get("debian-6.12")).hasValueSatisfying(e -> assertThat(e.version()).isEqualTo("6.12.57-1"));
    }

    @Test
    void aWarmCacheWithoutALockSkipsTheDownload() throws Exception {
        trixie();
        ResolvedKernel first = resolver.resolve(TRIXIE);
        Files.delete(lockFile);
        archive.calls.clear();
        ResolvedKernel again = resolver.resolve(TRIXIE);
        assertThat(again).isEqualTo(first);
        assertThat(archive.calls).noneMatch(c -> c.startsWith("download"));
        assertThat(new KernelLock(lockFile).get("debian-6.12")).isPresent();
        Files.writeString(first.image(), "garbage");
        Files.delete(lockFile);
        assertThat(resolver.resolve(TRIXIE).sha256()).isEqualTo(first.sha256());
        assertThat(archive.calls).anyMatch(c -> c.startsWith("download"));
    }

    @Test
    void concurrentResolversOfOneKernelAgree() throws Exception {
        trixie();
        List<ResolvedKernel> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    results.add(new KernelResolver(cache, lockFile, archive, m -> {}, Clock.systemUTC()).resolve(TRIXIE, true));
                } catch (KernelUnavailableException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(results).hasSize(4).extracting(ResolvedKernel::sha256).containsOnly(results.getFirst().sha256());
        assertThat(Sha256.hex(results.getFirst().image())).isEqualTo(results.getFirst().sha256());
    }

    @Test
    void aChangedSourceIgnoresThePin() throws Exception {
        trixie();
        resolver.resolve(TRIXIE);
        ResolvedKernel k = resolver.resolve(new KernelEntry("debian-6.12", new KernelSource.AptSource("linux-image-6.12.57+deb13-cloud-amd64", "trixie")));
        assertThat(k.packageName()).isEqualTo("linux-image-6.12.57+deb13-cloud-amd64");
        assertThat(log).anyMatch(m -> m.contains("source changed"));
    }

    @Test
    void splitPackagingFollowsDependsToLinuxBinary() throws Exception {
        String rel = "7.2.13+deb14-cloud-amd64";
        archive.add("linux-image-" + rel, "7.2.13-1", List.of("dracut", "linux-base-" + rel, "linux-binary-" + rel, "linux-modules-" + rel),
                TestDebs.files("./usr/share/doc/linux-image-" + rel, "->linux-base-" + rel));
        archive.add("linux-binary-" + rel, "7.2.13-1", List.of("linux-base-" + rel),
                TestDebs.files("./usr/lib/modules/" + rel + "/vmlinuz", TestDebs.bzImage(rel + " (builder@example.org) #1 SMP")));
        ResolvedKernel k = resolver.resolve(new KernelEntry("sid", new KernelSource.AptSource("linux-image-*-cloud-amd64", "sid")));
        assertThat(k.packageName()).isEqualTo("linux-image-" + rel);
        assertThat(k.release()).isEqualTo(rel);
        assertThat(new KernelLock(lockFile).get("sid")).hasValueSatisfying(e -> assertThat(e.imagePackage()).isEqualTo("linux-binary-" + rel));
        assertThat(archive.calls).doesNotContain("download linux-modules-" + rel + "=7.2.13-1");
    }

    @Test
    void anExactMetaPackageFollowsItsDependency() throws Exception {
        trixie();
        ResolvedKernel k = resolver.resolve(new KernelEntry("meta", new KernelSource.AptSource("linux-image-cloud-amd64", "trixie")));
        assertThat(k.release()).isEqualTo("6.12.117+deb13-cloud-amd64");
        assertThat(k.packageName()).isEqualTo("linux-image-cloud-amd64");
    }

    @Test
    void aPackageWithoutImageIsUnavailableWithAReason() throws Exception {
        archive.add("linux-image-6.1.0-9-cloud-amd64", "6.1.1-1", List.of(), TestDebs.files("./usr/share/doc/x", "x"));
        assertThatThrownBy(() -> resolver.resolve(new KernelEntry("old", new KernelSource.AptSource("linux-image-*-cloud-amd64", "bookworm"))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessage("kernel old: bookworm: linux-image-6.1.0-9-cloud-amd64: no kernel image in the package (no /boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz)");
    }

    @Test
    void noMatchingPackageIsUnavailable() {
        assertThatThrownBy(() -> resolver.resolve(new KernelEntry("x", new KernelSource.AptSource("linux-image-9.*", "sid"))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessage("kernel x: apt sid: no package matches linux-image-9.*");
    }

    /** Ubuntu's split packaging: the image package has no config; linux-modules-RELEASE has /boot/config-RELEASE. */
    private void ubuntuNoble(String serial) {
        String rel = "6.8.0-51-generic";
        archive.add("linux-image-unsigned-" + rel, "6.8.0-51.52", List.of("linux-modules-" + rel), bootImage(rel));
        archive.add("linux-modules-" + rel, "6.8.0-51.52", List.of(), TestDebs.files("./boot/config-" + rel,
                RpmArchiveTest.CONFIG_OK.replace("CONFIG_SERIAL_8250=y", "CONFIG_SERIAL_8250=" + serial),
                "./lib/modules/" + rel + "/kernel/x.ko.zst", "x"));
    }

    @Test
    void ubuntuKernelsAreCheckedAgainstTheConfigInLinuxModules() throws Exception {
        ubuntuNoble("y");
        ResolvedKernel k = resolver.resolve(new KernelEntry("noble", new KernelSource.AptSource("linux-image-unsigned-6.8.0-*-generic", "noble-updates")));
        assertThat(k.release()).isEqualTo("6.8.0-51-generic");
        assertThat(archive.calls).contains("download linux-image-unsigned-6.8.0-51-generic=6.8.0-51.52",
                "download linux-modules-6.8.0-51-generic=6.8.0-51.52");
    }

    @Test
    void anUbuntuKernelWithModularSerialIsUnavailableNamingTheOption() throws Exception {
        ubuntuNoble("m");
        assertThatThrownBy(() -> resolver.resolve(new KernelEntry("noble", new KernelSource.AptSource("linux-image-unsigned-6.8.0-*-generic", "noble-updates"))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessage("kernel noble: linux-modules-6.8.0-51-generic: kernel 6.8.0-51-generic cannot boot ringvm's guest, which"
                        + " loads no modules: CONFIG_SERIAL_8250=m (the serial ports) in its config");
        assertThat(new KernelStore(cache).byPackage(new PackageRef("linux-image-unsigned-6.8.0-51-generic", "6.8.0-51.52", List.of()), dev.ringvm.config.Arch.X86_64))
                .as("nothing indexed").isEmpty();
    }
}
