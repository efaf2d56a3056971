package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** arm64 kernels through the resolver: apt per architecture (a fake archive per suite and architecture), deb, path, arch checks. */
class Arm64KernelsTest {

    @TempDir Path dir;
    private final List<String> log = new ArrayList<>();
    private FakeArchive archive;
    private KernelResolver resolver;

    static final String CONFIG_ARM64 = String.join("\n", GuestKernelConfig.REQUIRED_ARM64.keySet().stream()
            .map(o -> o + "=y").toList()) + "\n";

    /** Packages per architecture, as a private apt tree per suite and architecture sees them; records each call's arch. */
    static final class FakeArchive implements PackageArchive {
        final Map<Arch, Map<String, List<PackageRef>>> packages = new EnumMap<>(Arch.class);
        final Map<String, Map<String, byte[]>> contents = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        void add(Arch arch, String name, String version, Map<String, byte[]> files) {
            packages.computeIfAbsent(arch, a -> new HashMap<>()).computeIfAbsent(name, k -> new ArrayList<>())
                    .add(new PackageRef(name, version, List.of()));
            contents.put(arch + " " + name + "=" + version, files);
        }

        private Map<String, List<PackageRef>> of(AptTarget t) {
            return packages.getOrDefault(t.arch(), Map.of());
        }

        @Override public PackageRef newestKernelImage(AptTarget t, String glob) throws AptException {
            calls.add("newestKernelImage " + t.arch().id() + " " + glob);
            var matches = KernelPackages.glob(glob);
            return of(t).values().stream().flatMap(List::stream)
                    .filter(r -> matches.test(r.name()) && !KernelPackages.isVariantOrMeta(r.name(), glob))
                    .max(KernelPackages.NEWEST).orElseThrow(() -> new AptException("apt " + t.describe() + ": no package matches " + glob));
        }

        @Override public PackageRef newest(AptTarget t, String pkg) throws AptException {
            calls.add("newest " + t.arch().id() + " " + pkg);
            return of(t).getOrDefault(pkg, List.of()).stream().max(KernelPackages.NEWEST)
                    .orElseThrow(() -> new AptException("apt " + t.describe() + ": no package " + pkg));
        }

        @Override public List<PackageRef> show(AptTarget t, List<String> names) {
            calls.add("show " + t.arch().id() + " " + names);
            return names.stream().flatMap(n -> of(t).getOrDefault(n, List.of()).stream()).toList();
        }

        @Override public Path download(AptTarget t, PackageRef ref, Path destDir) throws AptException {
            calls.add("download " + t.arch().id() + " " + ref.pinned());
            try {
                Files.createDirectories(destDir);
                return TestDebs.deb(destDir.resolve(ref.name() + ".deb"), "xz", contents.get(t.arch() + " " + ref.pinned()));
            } catch (IOException e) {
                throw new AptException(e.getMessage());
            }
        }
    }

    @BeforeEach
    void setUp() {
        archive = new FakeArchive();
        resolver = new KernelResolver(dir.resolve("cache"), dir.resolve("kernels.lock"), archive, log::add,
                Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC));
        String v = "6.12.117-1";
        for (String flavour : List.of("arm64", "arm64-16k", "cloud-arm64", "rt-arm64")) {
            String release = "6.12.117+deb13-" + flavour;
            archive.add(Arch.ARM64, "linux-image-" + release, v, arm64Deb(release, flavour.equals("arm64-16k") ? 16 : 4, CONFIG_ARM64));
            archive.add(Arch.ARM64, "linux-image-" + release + "-unsigned", v, arm64Deb(release, 4, CONFIG_ARM64));
        }
        archive.add(Arch.ARM64, "linux-image-6.12.117+deb13-arm64-16k-dbg", v, TestDebs.files("./usr/lib/debug/x", "x"));
        archive.add(Arch.X86_64, "linux-image-6.12.117+deb13-cloud-amd64", v, TestDebs.files(
                "./boot/vmlinuz-6.12.117+deb13-cloud-amd64", TestDebs.bzImage("6.12.117+deb13-cloud-amd64 (b@e.org) #1 SMP")));
    }

    static Map<String, byte[]> arm64Deb(String release, int pageKiB, String config) {
        return TestDebs.files("./boot/vmlinuz-" + release,
                TestDebs.arm64Image(release + " (debian-kernel@lists.debian.org) #1 SMP Debian 6.12.117-1", pageKiB),
                "./boot/config-" + release, config);
    }

    private static KernelEntry arm64(String id, KernelSource source) {
        return new KernelEntry(id, source, null, null, Arch.ARM64);
    }

    @Test
    void anArm64AptEntryResolvesTheArm64_16kFlavourFromTheArm64Tree() throws Exception {
        ResolvedKernel k = resolver.resolve(arm64("debian-16k", new KernelSource.AptSource("linux-image-*-arm64-16k", "trixie")));
        assertThat(k.packageName()).isEqualTo("linux-image-6.12.117+deb13-arm64-16k");
        assertThat(k.release()).isEqualTo("6.12.117+deb13-arm64-16k");
        assertThat(k.arch()).isEqualTo(Arch.ARM64);
        assertThat(k.pageKiB()).isEqualTo(16);
        assertThat(k.sha256()).isEqualTo(Sha256.hex(k.image()));
        assertThat(archive.calls).containsExactly("newestKernelImage arm64 linux-image-*-arm64-16k",
                "download arm64 linux-image-6.12.117+deb13-arm64-16k=6.12.117-1");
        assertThat(log).contains("kernel debian-16k: linux-image-*-arm64-16k @ trixie (arm64) -> linux-image-6.12.117+deb13-arm64-16k 6.12.117-1");
    }

    @Test
    void theGenericArm64GlobSkipsTheRealTimeFlavourButNotWhenAskedFor() throws Exception {
        ResolvedKernel k = resolver.resolve(arm64("debian", new KernelSource.AptSource("linux-image-*+deb13-arm64", "trixie")));
        assertThat(k.packageName()).isEqualTo("linux-image-6.12.117+deb13-arm64");
        assertThat(k.pageKiB()).isEqualTo(4);
        ResolvedKernel rt = resolver.resolve(arm64("rt", new KernelSource.AptSource("linux-image-*-rt-arm64", "trixie")));
        assertThat(rt.packageName()).isEqualTo("linux-image-6.12.117+deb13-rt-arm64");
    }

    @Test
    void aWarmResolveComesFromKernelsLockAndTheCache() throws Exception {
        KernelEntry e = arm64("debian-16k", new KernelSource.AptSource("linux-image-*-arm64-16k", "trixie"));
        ResolvedKernel cold = resolver.resolve(e);
        archive.calls.clear();
        ResolvedKernel warm = resolver.resolve(e);
        assertThat(warm).isEqualTo(cold);
        assertThat(archive.calls).isEmpty();
        assertThat(Files.readString(dir.resolve("kernels.lock"))).contains("linux-image-6.12.117+deb13-arm64-16k");
    }

    @Test
    void anX86EntryNeverSeesArm64Packages() {
        assertThatThrownBy(() -> resolver.resolve(new KernelEntry("x", new KernelSource.AptSource("linux-image-*-arm64-16k", "trixie"))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessage("kernel x: apt trixie: no package matches linux-image-*-arm64-16k");
    }

    @Test
    void anArm64KernelWhoseConfigLacksTheGuestDriversIsRefused() throws Exception {
        archive.add(Arch.ARM64, "linux-image-6.12.200+deb13-arm64", "6.12.200-1", arm64Deb("6.12.200+deb13-arm64", 4,
                CONFIG_ARM64.replace("CONFIG_VIRTIO_CONSOLE=y", "CONFIG_VIRTIO_CONSOLE=m")));
        assertThatThrownBy(() -> resolver.resolve(arm64("m", new KernelSource.AptSource("linux-image-*+deb13-arm64", "trixie"))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessage("kernel m: linux-image-6.12.200+deb13-arm64: kernel 6.12.200+deb13-arm64 cannot boot ringvm's arm64 guest,"
                        + " which loads no modules: CONFIG_VIRTIO_CONSOLE=m (the probe results on hvc0) in its config");
    }

    @Test
    void aLocalArm64DebAndPathResolveWithTheirPageSize() throws Exception {
        Path deb = TestDebs.deb(dir.resolve("k.deb"), "xz", arm64Deb("6.12.117+deb13-arm64-16k", 16, CONFIG_ARM64));
        ResolvedKernel d = resolver.resolve(arm64("deb", new KernelSource.DebSource(deb.toString(), null)));
        assertThat(d.arch()).isEqualTo(Arch.ARM64);
        assertThat(d.pageKiB()).isEqualTo(16);
        Path gz = Files.write(dir.resolve("Image.gz"), TestDebs.gzip(TestDebs.arm64Image("6.18.0-rc1 (me@host) #1 SMP", 64)));
        ResolvedKernel p = resolver.resolve(arm64("path", new KernelSource.PathSource(gz)));
        assertThat(p.release()).isEqualTo("6.18.0-rc1");
        assertThat(p.pageKiB()).isEqualTo(64);
        assertThat(p.image()).isEqualTo(gz.toAbsolutePath());
    }

    @Test
    void anImageOfTheOtherArchitectureIsRefusedNamingIdFileAndBoth() throws Exception {
        Path image = Files.write(dir.resolve("Image"), TestDebs.arm64Image("6.12.1 (me@host) #1 SMP", 16));
        assertThatThrownBy(() -> resolver.resolve(new KernelEntry("x86", new KernelSource.PathSource(image))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessage("kernel x86: " + image.toAbsolutePath() + " is an arm64 kernel image (arm64 Image, 16K pages)"
                        + " but kernels.yaml says arch: x86-64 (the default)");
        Path bz = Files.write(dir.resolve("bzImage"), TestDebs.bzImage("6.12.1 (me@host) #1 SMP"));
        assertThatThrownBy(() -> resolver.resolve(arm64("arm", new KernelSource.PathSource(bz))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessage("kernel arm: " + bz.toAbsolutePath() + " is an x86-64 kernel image (bzImage) but kernels.yaml says arch: arm64");
    }

    @Test
    void x86KernelsStillResolveAsX86With4KPages() throws Exception {
        ResolvedKernel k = resolver.resolve(new KernelEntry("cloud", new KernelSource.AptSource("linux-image-*-cloud-amd64", "trixie")));
        assertThat(k.arch()).isEqualTo(Arch.X86_64);
        assertThat(k.pageKiB()).isEqualTo(4);
        assertThat(archive.calls).first().isEqualTo("newestKernelImage x86-64 linux-image-*-cloud-amd64");
    }

    @Test
    void anIndexEntryWrittenBeforeArm64StillReadsAsX86() throws Exception {
        KernelStore store = new KernelStore(dir.resolve("cache"));
        Path bz = Files.write(dir.resolve("bz"), TestDebs.bzImage("6.12.1 (me@host) #1 SMP"));
        KernelStore.Image img = store.store(bz, Sha256.hex(bz));
        PackageRef ref = new PackageRef("linux-image-6.12.1-generic", "6.12.1-1", List.of());
        // the by-package entry exactly as the code before arm64 wrote it: NAME_VERSION, "sha256 imagePackage"
        Path old = dir.resolve("cache/kernels/by-package/linux-image-6.12.1-generic_6.12.1-1");
        Files.createDirectories(old.getParent());
        Files.writeString(old, img.sha256() + " linux-image-6.12.1-generic\n");
        KernelStore.Indexed known = store.byPackage(ref, Arch.X86_64).orElseThrow();
        assertThat(known.image().resolved("k", new KernelSource.PathSource(bz), null, null).arch()).isEqualTo(Arch.X86_64);
        assertThat(known.image().header().pageKiB()).isEqualTo(4);
        // Ubuntu names a flavour the same on both architectures: the arm64 entry has a key of its own
        assertThat(store.byPackage(ref, Arch.ARM64)).isEmpty();
        assertThat(store.packageIndex(ref, Arch.ARM64).getFileName().toString()).isEqualTo("linux-image-6.12.1-generic_6.12.1-1_arm64");
    }

    @Test
    void theArm64GuestConfigNeedsThePl011AndTheVirtioConsole() {
        assertThat(GuestKernelConfig.missing(Arch.ARM64, CONFIG_ARM64)).isEmpty();
        // an x86 config has none of the arm64 drivers
        assertThat(GuestKernelConfig.missing(Arch.ARM64, RpmArchiveTest.CONFIG_OK)).containsExactly(
                "CONFIG_SERIAL_AMBA_PL011 is not set (the serial port of -M virt)",
                "CONFIG_SERIAL_AMBA_PL011_CONSOLE is not set (the console on ttyAMA0)",
                "CONFIG_PCI is not set (the virtio console's PCI device)",
                "CONFIG_PCI_HOST_GENERIC is not set (the PCI host bridge of -M virt)",
                "CONFIG_VIRTIO_PCI is not set (the virtio console's PCI transport)",
                "CONFIG_VIRTIO_CONSOLE is not set (the probe results on hvc0)");
        assertThat(GuestKernelConfig.missing(Arch.X86_64, CONFIG_ARM64)).containsExactly(
                "CONFIG_SERIAL_8250 is not set (the serial ports)", "CONFIG_SERIAL_8250_CONSOLE is not set (the console on ttyS0)");
        assertThat(GuestKernelConfig.missing(Arch.ARM64, CONFIG_ARM64.replace("CONFIG_BLK_DEV_INITRD=y\n", "")))
                .containsExactly("CONFIG_BLK_DEV_INITRD is not set (the initramfs)");
    }
}
