package dev.ringvm.guest;

import dev.ringvm.config.Arch;
import dev.ringvm.host.Sha256;
import dev.ringvm.kernel.PackageRef;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestPackagesTest {
    @Test
    void debFileNameIsApts() {
        assertThat(GuestPackages.debFileName(new PackageRef("zlib1g", "1:1.3.dfsg+really1.3.1-1+deb13u1", List.of()), Arch.ARM64))
                .isEqualTo("zlib1g_1%3a1.3.dfsg+really1.3.1-1+deb13u1_arm64.deb");
    }

    /** A resolution of the last six hours is reused as it is: apt (which this cache has no lists for) is not asked. */
    @Test
    void aRecentResolutionIsReusedWithoutApt(@TempDir Path cache) throws Exception {
        Path dir = cache.resolve("guest-debs/trixie-arm64");
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>(List.of(GuestPackages.BUSYBOX, GuestPackages.JRE));
        names.addAll(GuestPackages.LIBRARIES);
        List<String> manifest = new ArrayList<>();
        List<Path> debs = new ArrayList<>();
        for (String n : names) {
            Path deb = Files.writeString(dir.resolve(n + "_1.0_arm64.deb"), "not really " + n);
            GuestImage.record(deb);
            debs.add(deb);
            manifest.add(n + "=1.0 " + deb.getFileName());
        }
        Files.write(dir.resolve(GuestPackages.MANIFEST), manifest, StandardCharsets.UTF_8);
        List<String> events = new ArrayList<>();
        GuestPackages p = GuestPackages.fetch(cache, "trixie", Arch.ARM64, events::add);
        assertThat(p.all()).containsExactlyElementsOf(debs);
        assertThat(events).isEmpty();
        assertThat(cache.resolve("apt")).doesNotExist();
        assertThat(GuestPackages.sha256(p.jre())).isEqualTo(Sha256.hex(p.jre()));
    }

    /** The cache key's package hash: the recorded one while the file is unchanged, the bytes' when it changed. */
    @Test
    void sha256IsTheRecordedOneOrTheBytes(@TempDir Path dir) throws Exception {
        Path deb = Files.writeString(dir.resolve("a.deb"), "one");
        assertThat(GuestPackages.sha256(deb)).isEqualTo(Sha256.hex("one"));
        GuestImage.record(deb);
        Files.writeString(deb, "two");
        Files.setLastModifiedTime(deb, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(GuestPackages.sha256(deb)).isEqualTo(Sha256.hex("two"));
    }
}
