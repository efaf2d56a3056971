package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RPM header reader and payload extraction, on RPMs written by {@link TestRpms}. */
class RpmArchiveTest {
    static final String RELEASE = "5.14.0-427.13.1.el9_4.x86_64";
    static final String CONFIG_OK = String.join("\n", GuestKernelConfig.REQUIRED.keySet().stream().map(o -> o + "=y").toList()) + "\n";

    @TempDir Path dir;

    static Map<String, byte[]> kernelCore(String release, String config) {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("./lib/modules/" + release + "/.vmlinuz.hmac", "hmac".getBytes());
        files.put("./lib/modules/" + release + "/config", config.getBytes());
        files.put("./lib/modules/" + release + "/vmlinuz", TestDebs.bzImage(release + " (mockbuild@example.org) #1 SMP PREEMPT_DYNAMIC"));
        files.put("./lib/modules/" + release + "/kernel/fs/x.ko.xz", new byte[100]);
        return files;
    }

    private Path rpm(String compressor) throws IOException {
        return TestRpms.rpm(dir.resolve("kernel-core-" + compressor + ".rpm"), compressor, "kernel-core", "5.14.0",
                "427.13.1.el9_4", kernelCore(RELEASE, CONFIG_OK));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zstd", "gzip", "bzip2"})
    void theKernelImageComesOutOfEachPayloadCompression(String compressor) throws Exception {
        Path rpm = rpm(compressor);
        RpmArchive.Package p = RpmArchive.read(rpm);
        assertThat(p.name()).isEqualTo("kernel-core");
        assertThat(p.versionRelease()).isEqualTo("5.14.0-427.13.1.el9_4");
        assertThat(p.compressor()).isEqualTo(compressor);
        assertThat(RpmArchive.extractKernelImage(rpm, dir.resolve("vmlinuz"))).contains("./lib/modules/" + RELEASE + "/vmlinuz");
        assertThat(BzImage.read(dir.resolve("vmlinuz")).release()).isEqualTo(RELEASE);
        assertThat(RpmArchive.list(rpm)).hasSize(4);
    }

    @Test
    void imageAndConfigComeOutInOnePass() throws Exception {
        Path rpm = rpm("xz");
        var x = PackageFormat.RPM.extract(rpm, dir.resolve("img"), dir.resolve("cfg"));
        assertThat(x).contains(new PackageFormat.Extracted("./lib/modules/" + RELEASE + "/vmlinuz", true));
        assertThat(Files.readString(dir.resolve("cfg"))).isEqualTo(CONFIG_OK);
    }

    @Test
    void aPackageWithoutImageHasNone() throws Exception {
        Path rpm = TestRpms.rpm(dir.resolve("kernel-modules.rpm"), "xz", "kernel-modules", "5.14.0", "1",
                Map.of("./lib/modules/" + RELEASE + "/kernel/a.ko.xz", new byte[10]));
        assertThat(RpmArchive.extractKernelImage(rpm, dir.resolve("vmlinuz"))).isEmpty();
        assertThat(dir.resolve("vmlinuz")).doesNotExist();
    }

    @Test
    void aTruncatedRpmIsRefusedNamingTheSizes() throws Exception {
        Path rpm = rpm("xz");
        byte[] all = Files.readAllBytes(rpm);
        Path cut = Files.write(dir.resolve("cut.rpm"), java.util.Arrays.copyOf(all, all.length - 100));
        assertThatThrownBy(() -> RpmArchive.extractKernelImage(cut, dir.resolve("v")))
                .hasMessage(cut + ": truncated RPM (" + (all.length - 100) + " of " + all.length + " bytes)");
        Path headOnly = Files.write(dir.resolve("head.rpm"), java.util.Arrays.copyOf(all, 120));
        assertThatThrownBy(() -> RpmArchive.read(headOnly)).hasMessage(headOnly + ": truncated RPM (unexpected end of file in its headers)");
        assertThat(dir.resolve("v")).doesNotExist();
    }

    @Test
    void aFlippedPayloadByteFailsThePayloadDigest() throws Exception {
        Path rpm = rpm("gzip");
        byte[] all = Files.readAllBytes(rpm);
        all[all.length - 20] ^= 0x55;
        Path bad = Files.write(dir.resolve("bad.rpm"), all);
        assertThatThrownBy(() -> RpmArchive.extractKernelImage(bad, dir.resolve("v")))
                .hasMessageStartingWith(bad + ": corrupt RPM: payload sha256 ").hasMessageContaining("differs from the header's");
    }

    @Test
    void notAnRpmAndImpossibleHeadersAreOneLineErrors() throws Exception {
        Path deb = Files.write(dir.resolve("x.rpm"), "!<arch>\n".repeat(20).getBytes());
        assertThatThrownBy(() -> RpmArchive.read(deb)).hasMessage(deb + ": not an RPM (no lead magic ED AB EE DB)");
        byte[] all = Files.readAllBytes(rpm("xz"));
        all[RpmArchive.LEAD_SIZE + 8] = 0x7f; // the signature header's entry count: 2 billion
        Path huge = Files.write(dir.resolve("huge.rpm"), all);
        assertThatThrownBy(() -> RpmArchive.read(huge)).hasMessageStartingWith(huge + ": corrupt RPM: signature header claims ");
        byte[] again = Files.readAllBytes(rpm("xz"));
        again[RpmArchive.LEAD_SIZE] = 0;
        Path noMagic = Files.write(dir.resolve("nomagic.rpm"), again);
        assertThatThrownBy(() -> RpmArchive.read(noMagic))
                .hasMessage(noMagic + ": corrupt RPM: no header magic 8E AD E8 01 at the signature header (offset 96)");
    }

    @Test
    void anUnknownCompressorIsNamed() throws Exception {
        Path rpm = rpm("xz");
        byte[] all = Files.readAllBytes(rpm);
        String s = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf("cpio\0xz\0");
        all[at + 5] = 'q';
        all[at + 6] = 'q';
        Path odd = Files.write(dir.resolve("odd.rpm"), all);
        assertThatThrownBy(() -> RpmArchive.extractKernelImage(odd, dir.resolve("v")))
                .hasMessage(odd + ": unsupported RPM payload compressor \"qq\" (expected xz, zstd, gzip, bzip2 or lzma)");
    }
}
