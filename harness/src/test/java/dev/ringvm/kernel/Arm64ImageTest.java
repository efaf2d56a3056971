package dev.ringvm.kernel;

import dev.ringvm.config.Arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Arm64ImageTest {
    @TempDir Path dir;

    private static final String VERSION = "6.12.117+deb13-arm64-16k (debian-kernel@lists.debian.org) (aarch64-linux-gnu-gcc-14) #1 SMP Debian 6.12.117-1 (2025-11-10)";

    @ParameterizedTest
    @ValueSource(ints = {4, 16, 64})
    void readsThePageSizeAndTheVersionOfARawImage(int pageKiB) throws Exception {
        Path f = Files.write(dir.resolve("vmlinuz"), TestDebs.arm64Image(VERSION, pageKiB));
        Arm64Image img = Arm64Image.read(f);
        assertThat(img.pageKiB()).isEqualTo(pageKiB);
        assertThat(img.release()).isEqualTo("6.12.117+deb13-arm64-16k");
        assertThat(img.versionString()).isEqualTo(VERSION);
        assertThat(img.gzip()).isFalse();
        assertThat(img.arch()).isEqualTo(Arch.ARM64);
        KernelImage any = KernelImage.read(f);
        assertThat(any).isEqualTo(img);
        assertThat(any.describe()).isEqualTo("arm64 Image (" + pageKiB + "K pages)");
    }

    @Test
    void readsAGzipCompressedImage() throws Exception {
        Path f = Files.write(dir.resolve("vmlinuz"), TestDebs.gzip(TestDebs.arm64Image(VERSION, 64)));
        KernelImage img = KernelImage.read(f);
        assertThat(img).isEqualTo(new Arm64Image("6.12.117+deb13-arm64-16k", VERSION, 64, true));
        assertThat(img.describe()).isEqualTo("arm64 Image (gzip) (64K pages)");
    }

    @Test
    void aTruncatedGzipImageIsAnIntegrityFailure() throws Exception {
        byte[] gz = TestDebs.gzip(TestDebs.arm64Image(VERSION, 4));
        Path f = Files.write(dir.resolve("vmlinuz"), Arrays.copyOf(gz, gz.length - 10));
        assertThatThrownBy(() -> KernelImage.read(f)).isInstanceOf(KernelIntegrityException.class)
                .hasMessageStartingWith(f + ": truncated or corrupt gzip-compressed arm64 Image");
    }

    @Test
    void aGzipFileOfSomethingElseIsNotAnImage() throws Exception {
        Path f = Files.write(dir.resolve("vmlinuz"), TestDebs.gzip("hello".repeat(100).getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> KernelImage.read(f)).isInstanceOf(KernelIntegrityException.class)
                .hasMessage(f + ": not a gzip-compressed arm64 Image (no ARM\\x64 magic at 0x38)");
    }

    @Test
    void anImageCutBeforeItsBannerHasNoVersion() throws Exception {
        Path f = Files.write(dir.resolve("vmlinuz"), Arrays.copyOf(TestDebs.arm64Image(VERSION, 16), 0x1000));
        assertThatThrownBy(() -> KernelImage.read(f)).isInstanceOf(KernelIntegrityException.class)
                .hasMessage(f + ": arm64 Image without a kernel version string (no \"Linux version\" banner; truncated?)");
    }

    @Test
    void anImageShorterThanItsPeHeaderDeclaresIsTruncated() throws Exception {
        byte[] img = TestDebs.arm64Image(VERSION, 16);
        // PE header at 0x40 ("PE\0\0", 1 section, no optional header), section table at 0x58
        img[0x3C] = 0x40;
        img[0x40] = 'P';
        img[0x41] = 'E';
        img[0x46] = 1;
        img[0x58 + 17] = 0x10; // SizeOfRawData 0x1000
        img[0x58 + 21] = 0x30; // PointerToRawData 0x3000: the file must be 0x4000 bytes long
        Path whole = Files.write(dir.resolve("whole"), img);
        assertThat(Arm64Image.read(whole).pageKiB()).isEqualTo(16);
        Path longer = Files.write(dir.resolve("longer"), Arrays.copyOf(img, 0x5000));
        assertThat(Arm64Image.read(longer).release()).isEqualTo("6.12.117+deb13-arm64-16k");
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(img, 0x3800));
        assertThatThrownBy(() -> Arm64Image.read(cut)).isInstanceOf(KernelIntegrityException.class)
                .hasMessage(cut + ": truncated arm64 Image: 14336 bytes, its PE/COFF header declares 16384");
    }

    @Test
    void anUnspecifiedPageSizeIsRefused() throws Exception {
        Path f = Files.write(dir.resolve("vmlinuz"), TestDebs.arm64Image(VERSION, 0));
        assertThatThrownBy(() -> KernelImage.read(f)).isInstanceOf(KernelIntegrityException.class)
                .hasMessage(f + ": arm64 Image header leaves the page size unspecified (flags 0x8; only kernels before 3.17 do)");
    }

    @Test
    void aBigEndianImageIsRefused() throws Exception {
        byte[] img = TestDebs.arm64Image(VERSION, 4);
        img[0x18] |= 1;
        Path f = Files.write(dir.resolve("vmlinuz"), img);
        assertThatThrownBy(() -> KernelImage.read(f))
                .hasMessage(f + ": big-endian arm64 Image; ringvm boots little-endian guests only");
    }

    @Test
    void garbageAndShortFilesAreNeitherKind() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage"), new byte[0x4000]);
        assertThatThrownBy(() -> KernelImage.read(garbage)).isInstanceOf(KernelIntegrityException.class)
                .hasMessage(garbage + ": not a kernel image (neither an x86 bzImage, HdrS at 0x202, nor an arm64 Image,"
                        + " ARM\\x64 at 0x38, raw or gzip-compressed)");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> KernelImage.read(empty)).isInstanceOf(KernelIntegrityException.class)
                .hasMessageStartingWith(empty + ": not a kernel image");
        Path headerOnly = Files.write(dir.resolve("head"), Arrays.copyOf(TestDebs.arm64Image(VERSION, 4), 0x30));
        assertThatThrownBy(() -> Arm64Image.read(headerOnly)).hasMessage(headerOnly + ": not an arm64 Image (only 48 bytes)");
    }

    @Test
    void aBzImageReadsAsX86With4KPages() throws Exception {
        Path f = Files.write(dir.resolve("bzImage"), TestDebs.bzImage("6.12.57+deb13-cloud-amd64 (b@e.org) #1 SMP"));
        KernelImage img = KernelImage.read(f);
        assertThat(img.arch()).isEqualTo(Arch.X86_64);
        assertThat(img.pageKiB()).isEqualTo(4);
        assertThat(img.release()).isEqualTo("6.12.57+deb13-cloud-amd64");
    }

    @Test
    void findsTheBannerAcrossTheReadersChunkBoundaryAndSkipsFormatStrings() throws Exception {
        // a large image whose banner straddles the first 1 MiB chunk, preceded by a printf format "Linux version %s"
        byte[] img = Arrays.copyOf(TestDebs.arm64Image(VERSION, 16), 3 << 20);
        Arrays.fill(img, 0x2000, 0x3000, (byte) 0);
        byte[] format = "Linux version %s".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(format, 0, img, 0x2000, format.length);
        byte[] banner = ("Linux version " + VERSION + "\n").getBytes(StandardCharsets.US_ASCII);
        int at = (1 << 20) - 20;
        System.arraycopy(banner, 0, img, at, banner.length);
        Path f = Files.write(dir.resolve("vmlinuz"), img);
        assertThat(Arm64Image.read(f).versionString()).isEqualTo(VERSION);
        Path gz = Files.write(dir.resolve("vmlinuz.gz"), TestDebs.gzip(img));
        assertThat(Arm64Image.read(gz).versionString()).isEqualTo(VERSION);
    }

    @Test
    void anEfiZbootImageIsNamedAndRefused() throws Exception {
        byte[] img = new byte[0x1000];
        System.arraycopy("MZ\0\0zimg".getBytes(StandardCharsets.US_ASCII), 0, img, 0, 8);
        System.arraycopy("zstd22".getBytes(StandardCharsets.US_ASCII), 0, img, 0x18, 6);
        Path f = Files.write(dir.resolve("vmlinuz"), img);
        assertThatThrownBy(() -> KernelImage.read(f)).isInstanceOf(KernelIntegrityException.class)
                .hasMessage(f + ": an EFI zboot image (\"zimg\", zstd22 payload), as Fedora ships arm64 kernels; ringvm boots"
                        + " raw or gzip-compressed arm64 Images only");
    }
}
