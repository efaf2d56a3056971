package dev.ringvm.guest;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Requires(Capability.BUSYBOX)
class GuestImageTest {
    @TempDir static Path shared;
    static Path probe;
    static Path cache;

    record Entry(long mode, long size, long rdevMaj, long rdevMin, byte[] content) {}

    @BeforeAll
    static void probeJar() throws IOException {
        probe = StandInProbe.build(shared.resolve("probe"));
        cache = shared.resolve("cache");
    }

    static Map<String, Entry> list(Path image) throws IOException {
        Map<String, Entry> m = new LinkedHashMap<>();
        InputStream raw = new BufferedInputStream(Files.newInputStream(image));
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f & raw.read() == 0x8b;
        raw.reset();
        try (InputStream in = gzip ? new GZIPInputStream(raw) : raw;
                CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            for (CpioArchiveEntry e; (e = cpio.getNextEntry()) != null; ) {
                byte[] content = e.getSize() < 1_000_000 ? cpio.readAllBytes() : new byte[0];
                m.put(e.getName(), new Entry(e.getMode(), e.getSize(), e.getRemoteDeviceMaj(), e.getRemoteDeviceMin(), content));
            }
        }
        return m;
    }

    @Test
    void imageHoldsInitBusyboxConsoleJreLibsAndProbe() throws IOException {
        GuestImage img = GuestImage.builder(cache, probe).build();
        assertThat(img.path()).hasFileName("initramfs.cpio").startsWith(cache.resolve("guest").resolve(img.hash()));
        Map<String, Entry> e = list(img.path());
        assertThat(e.get("init").mode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(new String(e.get("init").content(), StandardCharsets.UTF_8)).isEqualTo(InitScript.TEXT);
        Entry console = e.get("dev/console");
        assertThat(console.mode()).isEqualTo(CpioConstants.C_ISCHR | 0600);
        assertThat(console.rdevMaj()).isEqualTo(5);
        assertThat(console.rdevMin()).isEqualTo(1);
        assertThat(e.get("bin/busybox").mode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(e.get("bin/busybox").size()).isEqualTo(Files.size(GuestImage.DEFAULT_BUSYBOX));
        assertThat(e.get("bin/sh").mode()).isEqualTo(CpioConstants.C_ISLNK | 0777);
        assertThat(e.get("jre/bin/java").mode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(e).containsKeys("jre/lib/modules", "jre/lib/server/libjvm.so", "jre/release",
                "lib64/ld-linux-x86-64.so.2", "proc", "sys", "tmp", "probe/probe.aot");
        // the AOT cache replaces the runtime's CDS archive; the no-compressed-oops archive is never used
        assertThat(e).doesNotContainKeys("jre/lib/server/classes_nocoops.jsa", "jre/lib/server/classes.jsa");
        assertThat(e.get("probe/probe.aot").size()).isGreaterThan(1_000_000);
        assertThat(new String(e.get("probe/java.args").content(), StandardCharsets.UTF_8).lines().toList())
                .startsWith("-XX:AOTCache=/probe/probe.aot").containsAll(GuestImage.GUEST_JVM_OPTIONS);
        assertThat(e.keySet()).anyMatch(n -> n.matches("(usr/)?lib/x86_64-linux-gnu/libc\\.so\\.6"));
        assertThat(e.get("probe/ring-init-probe.jar").content()).isEqualTo(Files.readAllBytes(probe));
        // every parent precedes its children, as the kernel's unpacker needs
        List<String> names = new ArrayList<>(e.keySet());
        for (String n : names) {
            int slash = n.lastIndexOf('/');
            if (slash > 0) {
                assertThat(names.indexOf(n.substring(0, slash))).as(n).isBetween(0, names.indexOf(n) - 1);
            }
        }
    }

    @Test
    void reusedWhenNothingChangesRebuiltWhenAnInputChanges() throws IOException {
        List<String> events = new ArrayList<>();
        GuestImage first = GuestImage.builder(cache, probe).events(events::add).build();
        GuestImage again = GuestImage.builder(cache, probe).events(events::add).build();
        assertThat(again.cached()).isTrue();
        assertThat(again.path()).isEqualTo(first.path());

        Path otherProbe = shared.resolve("other-probe.jar");
        Files.copy(probe, otherProbe, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(otherProbe, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        events.clear();
        GuestImage changed = GuestImage.builder(cache, otherProbe).events(events::add).build();
        assertThat(changed.cached()).isFalse();
        assertThat(changed.hash()).isNotEqualTo(first.hash());
        assertThat(events).anyMatch(m -> m.startsWith("jlinked runtime cached")); // probe change: no new jlink

        GuestImage otherInit = GuestImage.builder(cache, probe).initScript("#!/bin/busybox sh\n".getBytes()).build();
        assertThat(otherInit.hash()).isNotEqualTo(first.hash());
        assertThat(otherInit.cached()).isFalse();
        assertThat(GuestImage.builder(cache, probe).compression(Compression.ZSTD).hash()).isNotEqualTo(first.hash());
        GuestImage gz = GuestImage.builder(cache, probe).compression(Compression.GZIP).build();
        assertThat(gz.path()).hasFileName("initramfs.cpio.gz");
        assertThat(list(gz.path())).containsKeys("init", "jre/bin/java");
    }

    @Test
    void concurrentBuildsOfTheSameImageAgree() throws Exception {
        Path probe2 = shared.resolve("probe2.jar");
        Files.copy(probe, probe2, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(probe2, new byte[] {1, 2}, java.nio.file.StandardOpenOption.APPEND);
        try (var ex = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var a = ex.submit(() -> GuestImage.builder(cache, probe2).build());
            var b = ex.submit(() -> GuestImage.builder(cache, probe2).build());
            assertThat(a.get().path()).isEqualTo(b.get().path());
            assertThat(a.get().cached() ^ b.get().cached()).isTrue();
        }
        try (var s = Files.list(cache.resolve("guest"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("tmp-"));
        }
    }

    @Test
    void withoutAotCacheTheRuntimesCdsArchiveServes() throws IOException {
        GuestImage img = GuestImage.builder(cache, probe).aotCache(false).build();
        assertThat(img.hash()).isNotEqualTo(GuestImage.builder(cache, probe).hash());
        Map<String, Entry> e = list(img.path());
        assertThat(e).containsKey("jre/lib/server/classes.jsa").doesNotContainKey("probe/probe.aot");
        assertThat(new String(e.get("probe/java.args").content(), StandardCharsets.UTF_8).lines().toList())
                .containsExactlyElementsOf(java.util.stream.Stream.concat(java.util.stream.Stream.of("-Xshare:auto"),
                        GuestImage.GUEST_JVM_OPTIONS.stream()).toList());
    }

    @Test
    void aotTrainingRunsTheGuestOptionsOnAnEpochDatedJarCopy() {
        assertThat(AotTraining.argv(Path.of("/r/bin/java"), GuestImage.GUEST_JVM_OPTIONS, Path.of("/w/probe.aot"),
                Path.of("/w/probe/ring-init-probe.jar")))
                .startsWith("/r/bin/java")
                .containsSubsequence(GuestImage.GUEST_JVM_OPTIONS)
                .contains("-XX:AOTCacheOutput=/w/probe.aot")
                .containsSubsequence("-jar", "/w/probe/ring-init-probe.jar", "--out", "/dev/null");
    }

    @Test
    void busyboxOnlyImage(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("bb.cpio.gz");
        GuestImage.writeBusyboxImage(GuestImage.DEFAULT_BUSYBOX, "#!/bin/busybox sh\necho hi\n", out);
        assertThat(list(out)).containsKeys("init", "dev/console", "bin/busybox").doesNotContainKey("jre");
    }

    @Test
    void missingProbeJarIsAClearError(@TempDir Path tmp) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> GuestImage.builder(tmp, tmp.resolve("nope.jar")).build())
                .isInstanceOf(IOException.class).hasMessageContaining("probe jar not found");
    }
}
