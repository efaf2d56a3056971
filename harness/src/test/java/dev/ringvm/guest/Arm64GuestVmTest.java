package dev.ringvm.guest;

import dev.ringvm.config.Arch;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arm64 guest image from Debian trixie's arm64 packages, built on this (x86-64) host, and booted with trixie's
 * arm64 cloud kernel under qemu-system-aarch64 (TCG). The packages and the kernel are downloaded once into the user
 * cache (~85 MiB of .debs, the kernel's vmlinuz only); the image is built in a temporary cache.
 */
@Tag("vm")
@Requires({Capability.QEMU_AARCH64, Capability.DEBIAN_ARCHIVE, Capability.BUSYBOX})
class Arm64GuestVmTest {
    @TempDir static Path shared;
    static Path cache;
    static Path probe;
    static GuestPackages packages;
    static GuestImage image;
    static final List<String> events = new ArrayList<>();

    @BeforeAll
    static void buildImage() throws Exception {
        cache = shared.resolve("cache");
        probe = ProbeJar.locate(shared.resolve("probe-cache"));
        packages = GuestPackages.fetch(CacheDirs.root(), GuestPackages.DEFAULT_SUITE, Arch.ARM64, events::add);
        image = GuestImage.builder(cache, probe).arch(Arch.ARM64).packages(packages).events(events::add).build();
    }

    @Test
    void imageIsDebiansArm64BusyboxRelinkedJreAndLibrariesWithoutAnyCdsOrAotArchive() throws Exception {
        assertThat(image.cached()).as(String.join("\n", events)).isFalse();
        Map<String, GuestImageTest.Entry> e = GuestImageTest.list(image.path());
        assertThat(new String(e.get("init").content(), StandardCharsets.UTF_8)).isEqualTo(InitScript.TEXT);
        assertThat(e.get("probe/ring-init-probe.jar").content()).isEqualTo(Files.readAllBytes(probe));
        assertThat(e.get("dev/console").mode()).isEqualTo(CpioConstants.C_ISCHR | 0600);
        assertThat(e).containsKeys("bin/busybox", "jre/bin/java", "jre/lib/modules", "jre/lib/server/libjvm.so",
                "jre/lib/libjava.so", "jre/lib/libnio.so", "jre/lib/jvm.cfg", "jre/conf/security/java.security");
        // java's DT_NEEDED closure from libc6, libgcc-s1, libstdc++6 and zlib1g, real files under the multiarch dir
        for (String lib : List.of("ld-linux-aarch64.so.1", "libc.so.6", "libm.so.6", "libgcc_s.so.1", "libstdc++.so.6",
                "libz.so.1")) {
            assertThat(e.get("lib/aarch64-linux-gnu/" + lib).mode()).as(lib).isEqualTo(CpioConstants.C_ISREG | 0755);
        }
        assertThat(e.get("lib/ld-linux-aarch64.so.1").mode()).isEqualTo(CpioConstants.C_ISLNK | 0777);
        assertThat(new String(e.get("lib/ld-linux-aarch64.so.1").content(), StandardCharsets.UTF_8))
                .isEqualTo("aarch64-linux-gnu/ld-linux-aarch64.so.1");
        assertThat(e.keySet()).noneMatch(n -> n.startsWith("lib64") || n.contains("x86_64") || n.endsWith(".jsa")
                || n.endsWith(".aot"));
        assertThat(new String(e.get("probe/java.args").content(), StandardCharsets.UTF_8).lines().toList())
                .containsExactlyElementsOf(java.util.stream.Stream.concat(java.util.stream.Stream.of("-Xshare:off"),
                        GuestImage.GUEST_JVM_OPTIONS.stream()).toList());
        // every binary is aarch64: busybox static, java through the arm64 loader
        Path x = shared.resolve("x");
        Files.createDirectories(x);
        Files.write(x.resolve("busybox"), readFully(image.path(), "bin/busybox"));
        ElfFile bb = ElfFile.read(x.resolve("busybox"));
        assertThat(bb.machine()).isEqualTo(ElfFile.EM_AARCH64);
        assertThat(bb.interpreter()).isEmpty();
        Files.write(x.resolve("java"), readFully(image.path(), "jre/bin/java"));
        assertThat(ElfFile.read(x.resolve("java")).interpreter()).contains("/lib/ld-linux-aarch64.so.1");
        assertThat(ElfFile.read(x.resolve("java")).machine()).isEqualTo(ElfFile.EM_AARCH64);
    }

    @Test
    void cachedByEveryInputAndKeyedApartFromTheX86Image() throws Exception {
        GuestImage again = GuestImage.builder(cache, probe).arch(Arch.ARM64).packages(packages).build();
        assertThat(again.cached()).isTrue();
        assertThat(again.path()).isEqualTo(image.path());
        assertThat(GuestImage.builder(cache, probe).arch(Arch.X86_64).hash()).isNotEqualTo(image.hash());
        assertThat(GuestImage.builder(cache, probe).arch(Arch.ARM64).packages(packages).compression(Compression.ZSTD)
                .hash()).isNotEqualTo(image.hash());
        assertThat(GuestImage.builder(cache, probe).arch(Arch.ARM64).packages(packages)
                .initScript("#!/bin/busybox sh\n".getBytes(StandardCharsets.UTF_8)).hash()).isNotEqualTo(image.hash());
        // another libc6 (here: zlib1g's .deb in its place) is another runtime, hence another image
        List<Path> libs = new ArrayList<>(packages.libraries());
        libs.set(0, libs.get(3));
        assertThat(GuestImage.builder(cache, probe).arch(Arch.ARM64)
                .packages(new GuestPackages(packages.busybox(), packages.jre(), libs)).hash()).isNotEqualTo(image.hash());
    }

    /** The probe's header arrives on hvc0 from a real arm64 kernel: /init, java and the jar all run on aarch64. */
    @Test
    @Requires(Capability.QEMU_AARCH64)
    void bootsTrixieArm64AndTheProbeHeaderArrivesOnHvc0(@TempDir Path dir) throws Exception {
        Path kernel = Arm64Guest.kernel(CacheDirs.root(), m -> { });
        String nonce = UUID.randomUUID().toString().replace("-", "");
        Path console = dir.resolve("console.log");
        Path results = dir.resolve("results.log");
        ProcessRunner.Result r = Arm64Guest.boot(kernel, image.path(), console, results,
                List.of("ringvm.nonce=" + nonce, "ringvm.grid=default", "ringvm.only=^memalign/sq1$"),
                Duration.ofSeconds(240));
        String con = Files.readString(console, StandardCharsets.ISO_8859_1);
        assertThat(r.timedOut()).as(con).isFalse();
        assertThat(r.exitCode()).as(con + r.output()).isZero();
        assertThat(con).contains("ringvm: init at ", "results=/dev/hvc0", "ringvm: probe exited rc=");
        List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
        assertThat(lines).as(con).isNotEmpty();
        assertThat(lines.getFirst()).startsWith("{\"type\":\"header\",\"nonce\":\"" + nonce + "\"")
                .contains("\"machine\":\"aarch64\"");
    }

    private static byte[] readFully(Path cpioFile, String name) throws Exception {
        try (var in = new org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream(
                new java.io.BufferedInputStream(Files.newInputStream(cpioFile)))) {
            for (var en = in.getNextEntry(); en != null; en = in.getNextEntry()) {
                if (en.getName().equals(name)) return in.readAllBytes();
            }
        }
        throw new AssertionError(name + " not in " + cpioFile);
    }
}
