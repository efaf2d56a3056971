package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BzImageTest {

    @TempDir Path dir;

    @Test
    void readsReleaseAndVersionString() throws Exception {
        String v = "6.12.57+deb13-cloud-amd64 (builder@example.org) #1 SMP PREEMPT_DYNAMIC Debian 6.12.57-1 (2025-11-05)";
        Path f = Files.write(dir.resolve("bzImage"), TestDebs.bzImage(v));
        BzImage bz = BzImage.read(f);
        assertThat(bz.release()).isEqualTo("6.12.57+deb13-cloud-amd64");
        assertThat(bz.versionString()).isEqualTo(v);
    }

    @Test
    void noMagic() throws Exception {
        Path f = Files.write(dir.resolve("vmlinux"), new byte[0x1000]);
        assertThatThrownBy(() -> BzImage.read(f)).hasMessage(f + ": not a bzImage (no HdrS magic at 0x202)");
    }

    @Test
    void tooShort() throws Exception {
        Path f = Files.writeString(dir.resolve("tiny"), "x");
        assertThatThrownBy(() -> BzImage.read(f)).hasMessage(f + ": not a bzImage (only 1 bytes)");
    }

    @Test
    void zeroVersionOffset() throws Exception {
        byte[] img = TestDebs.bzImage("6.1.0");
        img[0x20E] = 0;
        img[0x20F] = 0;
        Path f = Files.write(dir.resolve("bz"), img);
        assertThatThrownBy(() -> BzImage.read(f)).hasMessageStartingWith(f + ": bzImage without a kernel version string");
    }

    @Test
    void offsetPastTheEnd() throws Exception {
        byte[] img = TestDebs.bzImage("6.1.0");
        img[0x20F] = (byte) 0x7f;
        Path f = Files.write(dir.resolve("bz"), img);
        assertThatThrownBy(() -> BzImage.read(f)).hasMessageContaining("past the end of the file");
    }
}
