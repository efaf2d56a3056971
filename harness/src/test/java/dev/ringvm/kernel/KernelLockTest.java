package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLockTest {

    @TempDir Path dir;

    @Test
    void roundTrips() throws Exception {
        KernelLock lock = new KernelLock(KernelLock.nextTo(dir.resolve("kernels.yaml")));
        assertThat(lock.file()).isEqualTo(dir.toAbsolutePath().resolve("kernels.lock"));
        assertThat(lock.read()).isEmpty();
        var a = new KernelLock.Entry("apt linux-image-*-cloud-amd64 @ trixie", "linux-image-6.12.117+deb13-cloud-amd64", "6.12.117-1",
                "linux-image-6.12.117+deb13-cloud-amd64", "ab".repeat(32), "6.12.117+deb13-cloud-amd64", Instant.parse("2026-11-25T20:00:00Z"));
        var b = new KernelLock.Entry("apt linux-image-*-cloud-amd64 @ sid", "linux-image-7.2.13+deb14-cloud-amd64", "7.2.13-1",
                "linux-binary-7.2.13+deb14-cloud-amd64", "cd".repeat(32), "7.2.13+deb14-cloud-amd64", Instant.parse("2026-11-25T20:01:00Z"));
        lock.put("trixie", a);
        lock.put("sid", b);
        assertThat(new KernelLock(lock.file()).read()).containsOnlyKeys("sid", "trixie").containsEntry("trixie", a).containsEntry("sid", b);
        var a2 = new KernelLock.Entry(a.source(), a.packageName(), "6.12.118-1", a.imagePackage(), "ef".repeat(32), a.release(), a.resolvedAt());
        lock.put("trixie", a2);
        assertThat(lock.get("trixie")).contains(a2);
        assertThat(lock.get("sid")).contains(b);
        assertThat(Files.readString(lock.file())).contains("\"kernels\"").contains("\"sha256\" : \"" + "cd".repeat(32) + "\"");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void debPinsRoundTripWithTheirDebHashAndUrl() throws Exception {
        KernelLock lock = new KernelLock(dir.resolve("kernels.lock"));
        var deb = new KernelLock.Entry("deb https://example.org/k.deb", "k.deb", null, null, "ab".repeat(32),
                "6.8.12-060812-generic", Instant.parse("2026-11-25T20:00:00Z"), "12".repeat(32), "https://example.org/k.deb");
        var mainline = new KernelLock.Entry("mainline v6.5", "linux-image-unsigned-6.5.0-060500-generic_6.5.0-060500.202308271831_amd64.deb",
                "v6.5", null, "cd".repeat(32), "6.5.0-060500-generic", Instant.parse("2026-11-25T20:01:00Z"), "34".repeat(32),
                "https://kernel.ubuntu.com/mainline/v6.5/amd64/linux-image-unsigned-6.5.0-060500-generic_6.5.0-060500.202308271831_amd64.deb");
        var apt = new KernelLock.Entry("apt x @ sid", "x", "1", "x", "ef".repeat(32), "6.12.1", Instant.EPOCH);
        lock.put("deb", deb);
        lock.put("mainline", mainline);
        lock.put("apt", apt);
        assertThat(new KernelLock(lock.file()).read()).containsEntry("deb", deb).containsEntry("mainline", mainline)
                .containsEntry("apt", apt);
        String text = Files.readString(lock.file());
        assertThat(text).contains("\"debSha256\" : \"" + "12".repeat(32) + "\"").contains("\"url\" : \"https://example.org/k.deb\"");
        assertThat(apt.debSha256()).isNull();
    }

    @Test
    void concurrentWritersKeepEveryEntry() throws Exception {
        KernelLock lock = new KernelLock(dir.resolve("kernels.lock"));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    new KernelLock(dir.resolve("kernels.lock")).put("k" + n,
                            new KernelLock.Entry("s", "p", "1", "p", "00", "r", Instant.EPOCH));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(lock.read()).hasSize(8);
    }

    @Test
    void unreadableLockIsAOneLineError() throws Exception {
        Path f = Files.writeString(dir.resolve("kernels.lock"), "{ not json");
        assertThatThrownBy(() -> new KernelLock(f).read()).hasMessageStartingWith(f.toAbsolutePath() + ": unreadable lock file")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /** The file format is kept: old files read, new ones are written field for field as before. */
    @Test
    void theFormatIsStable() throws Exception {
        KernelLock committed = new KernelLock(Path.of("..", "kernels.lock"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(committed.file()), "no kernels.lock in the repository");
        assertThat(committed.read()).isNotEmpty().allSatisfy((id, e) -> {
            assertThat(e.sha256()).hasSize(64);
            assertThat(e.source()).isNotBlank();
        });
        KernelLock lock = new KernelLock(dir.resolve("kernels.lock"));
        lock.put("b", new KernelLock.Entry("deb https://e.org/k.deb", "k.deb", null, null, "ab", "6.8", Instant.parse("2026-11-25T21:04:35.549466776Z"),
                "12", "https://e.org/k.deb"));
        lock.put("a", new KernelLock.Entry("apt x @ sid", "x", "1", "x", "cd", "6.1", null));
        assertThat(Files.readString(lock.file())).isEqualTo("""
                {
                  "comment" : "%s",
                  "kernels" : {
                    "a" : {
                      "source" : "apt x @ sid",
                      "package" : "x",
                      "version" : "1",
                      "imagePackage" : "x",
                      "sha256" : "cd",
                      "release" : "6.1",
                      "resolved" : null
                    },
                    "b" : {
                      "source" : "deb https://e.org/k.deb",
                      "package" : "k.deb",
                      "version" : null,
                      "imagePackage" : null,
                      "sha256" : "ab",
                      "release" : "6.8",
                      "resolved" : "2026-11-25T21:04:35.549466776Z",
                      "debSha256" : "12",
                      "url" : "https://e.org/k.deb"
                    }
                  }
                }
                """.formatted(KernelLock.COMMENT));
        assertThat(Files.readString(lock.file())).isEqualTo(Files.readString(lock.file()).stripTrailing() + "\n");
    }

    @Test
    void thePinPolicy() throws Exception {
        KernelLock lock = new KernelLock(dir.resolve("kernels.lock"));
        var apt = new dev.ringvm.config.KernelSource.AptSource("x", "sid");
        var deb = new dev.ringvm.config.KernelSource.DebSource("https://e.org/k.deb", null);
        lock.put("apt", new KernelLock.Entry(apt.describe(), "x", "1", "x", "cd", "6.1", Instant.EPOCH));
        lock.put("deb", new KernelLock.Entry(deb.describe(), "k.deb", null, null, "ab", "6.8", Instant.EPOCH, "12", deb.location()));
        lock.put("old-deb", new KernelLock.Entry(deb.describe(), "k.deb", null, null, "ab", "6.8", Instant.EPOCH));
        List<String> log = new ArrayList<>();
        assertThat(lock.pin("apt", apt, false, log::add)).isPresent();
        assertThat(lock.pin("apt", apt, true, log::add)).as("--update ignores the lock").isEmpty();
        assertThat(lock.pin("deb", deb, false, log::add)).map(KernelLock.Entry::debSha256).contains("12");
        assertThat(lock.pin("old-deb", deb, false, log::add)).as("a download pin needs the .deb's sha256").isEmpty();
        assertThat(lock.pin("none", deb, false, log::add)).isEmpty();
        assertThat(log).containsExactly("kernel old-deb: source changed since kernels.lock was written; resolving anew");
        assertThat(lock.pin("apt", new dev.ringvm.config.KernelSource.AptSource("x", "trixie"), false, log::add)).isEmpty();
        assertThat(log).hasSize(2);
    }
}
