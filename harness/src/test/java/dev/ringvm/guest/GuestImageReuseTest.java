package dev.ringvm.guest;

import dev.ringvm.host.Sha256;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cached guest image is verified when it is reused: a truncated one (which made every later boot fail with
 * "probe exited rc=127") is rebuilt, with one line saying so.
 */
@Requires(Capability.BUSYBOX)
class GuestImageReuseTest {
    @TempDir Path dir;

    @Test
    void aTruncatedCachedImageIsRebuiltWithALine() throws Exception {
        Path probe = StandInProbe.build(dir.resolve("probe"));
        Path cache = dir.resolve("cache");
        GuestImage first = GuestImage.builder(cache, probe).aotCache(false).build();
        assertThat(first.cached()).isFalse();
        long size = Files.size(first.path());
        assertThat(GuestImage.sidecar(first.path())).hasContent(Sha256.hex(first.path()) + " " + size + " "
                + Files.getLastModifiedTime(first.path()).toMillis());
        // touched, same bytes: hashed once, kept, and remembered
        Files.setLastModifiedTime(first.path(), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        assertThat(GuestImage.builder(cache, probe).aotCache(false).build().cached()).isTrue();
        assertThat(Files.readString(GuestImage.sidecar(first.path()))).endsWith(" " + size + " 1000000000000\n");
        try (RandomAccessFile f = new RandomAccessFile(first.path().toFile(), "rw")) {
            f.setLength(size / 2);
        }
        List<String> events = new ArrayList<>();
        GuestImage again = GuestImage.builder(cache, probe).aotCache(false).events(events::add).build();
        assertThat(again.cached()).isFalse();
        assertThat(again.path()).isEqualTo(first.path());
        assertThat(Files.size(again.path())).isEqualTo(size);
        assertThat(events).anyMatch(e -> e.startsWith("guest image " + first.path() + " is damaged (sha256 ")
                && e.endsWith("); building it again"));
        events.clear();
        GuestImage third = GuestImage.builder(cache, probe).aotCache(false).events(events::add).build();
        assertThat(third.cached()).isTrue();
        assertThat(events).containsExactly("guest image cached: " + first.path());
    }
}
