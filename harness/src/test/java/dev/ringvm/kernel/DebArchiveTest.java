package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DebArchiveTest {

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zst", "gz", ""})
    void extractsBootVmlinuz(String compression) throws Exception {
        byte[] image = TestDebs.bzImage("6.12.57+deb13-cloud-amd64 (builder@example.org) #1 SMP");
        Path deb = TestDebs.deb(dir.resolve("k.deb"), compression, TestDebs.files(
                "./", "", "./boot/", "", "./boot/config-6.12.57+deb13-cloud-amd64", "CONFIG_X=y\n",
                "./boot/vmlinuz-6.12.57+deb13-cloud-amd64", image));
        Path out = dir.resolve("vmlinuz");
        assertThat(DebArchive.extractKernelImage(deb, out)).contains("./boot/vmlinuz-6.12.57+deb13-cloud-amd64");
        assertThat(Files.readAllBytes(out)).isEqualTo(image);
    }

    @Test
    void extractsUsrLibModulesVmlinuzOfSplitPackages() throws Exception {
        Path deb = TestDebs.deb(dir.resolve("b.deb"), "xz", TestDebs.files(
                "./usr/lib/modules/7.2.13+deb14-cloud-amd64/vmlinuz", "kernel"));
        Path out = dir.resolve("vmlinuz");
        assertThat(DebArchive.extractKernelImage(deb, out)).contains("./usr/lib/modules/7.2.13+deb14-cloud-amd64/vmlinuz");
        assertThat(Files.readString(out)).isEqualTo("kernel");
    }

    @Test
    void metaPackageHasNoImage() throws Exception {
        Path deb = TestDebs.deb(dir.resolve("m.deb"), "xz", TestDebs.files(
                "./usr/share/doc/linux-image-cloud-amd64/copyright", "x"));
        assertThat(DebArchive.extractKernelImage(deb, dir.resolve("vmlinuz"))).isEmpty();
        assertThat(dir.resolve("vmlinuz")).doesNotExist();
    }

    @Test
    void extractsSelectedEntriesWithPathsAndLinks() throws Exception {
        Path deb = TestDebs.deb(dir.resolve("h.deb"), "zst", TestDebs.files(
                "./usr/", "", "./usr/include/", "", "./usr/include/linux/io_uring.h", "#define IORING_SETUP_NO_MMAP (1U << 14)\n",
                "./usr/include/linux/other.h", "x", "./usr/include/asm", "->x86_64-linux-gnu/asm",
                "./usr/include/evil", "->../../../../etc/passwd"));
        Path dest = dir.resolve("out");
        var written = DebArchive.extract(deb, n -> n.startsWith("./usr/include/"), dest);
        assertThat(Files.readString(dest.resolve("usr/include/linux/io_uring.h"))).contains("NO_MMAP");
        assertThat(Files.isSymbolicLink(dest.resolve("usr/include/asm"))).isTrue();
        assertThat(dest.resolve("usr/include/evil")).doesNotExist();
        assertThat(written).hasSize(3);
        var onlyIoUring = DebArchive.extract(deb, n -> n.endsWith("/io_uring.h"), dir.resolve("out2"));
        assertThat(onlyIoUring).containsExactly(dir.resolve("out2").toRealPath().resolve("usr/include/linux/io_uring.h"));
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        Path deb = TestDebs.deb(dir.resolve("t.deb"), "xz", TestDebs.files("../../escape", "x"));
        assertThatThrownBy(() -> DebArchive.extract(deb, n -> true, dir.resolve("out")))
                .isInstanceOf(IOException.class).hasMessageContaining("escapes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zst", "gz", ""})
    void truncatedDebIsAOneLineErrorNamingTheFile(String compression) throws Exception {
        byte[] image = new byte[200_000];
        new java.util.Random(1).nextBytes(image); // incompressible, so truncation cuts into the image
        Path deb = TestDebs.deb(dir.resolve("full.deb"), compression, TestDebs.files("./boot/vmlinuz-6.1.0-1-amd64", image));
        byte[] all = Files.readAllBytes(deb);
        Path cut = Files.write(dir.resolve("cut.deb"), Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> DebArchive.extractKernelImage(cut, dir.resolve("vmlinuz")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(cut + ": corrupt or truncated .deb")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(dir.resolve("vmlinuz")).doesNotExist();
    }

    @Test
    void notAnArArchive() throws Exception {
        Path f = Files.writeString(dir.resolve("x.deb"), "hello, not a deb");
        assertThatThrownBy(() -> DebArchive.list(f)).hasMessage(f + ": not a .deb (no ar archive header)");
    }

    @Test
    void arWithoutDataMember() throws Exception {
        Path f = dir.resolve("nodata.deb");
        try (var ar = new org.apache.commons.compress.archivers.ar.ArArchiveOutputStream(Files.newOutputStream(f))) {
            ar.putArchiveEntry(new org.apache.commons.compress.archivers.ar.ArArchiveEntry("debian-binary", 4));
            ar.write("2.0\n".getBytes());
            ar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> DebArchive.list(f)).hasMessage(f + ": corrupt .deb: no data.tar member");
    }
}
