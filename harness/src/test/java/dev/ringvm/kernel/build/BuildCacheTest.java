package dev.ringvm.kernel.build;

import dev.ringvm.host.Sha256;
import dev.ringvm.kernel.TestDebs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** A cached build is verified whenever it is reused: against the sha256 written with it, else its own header. */
class BuildCacheTest {
    @TempDir Path dir;

    @Test
    void anIntactBuildIsReusedADamagedOneIsNot() throws Exception {
        byte[] bz = TestDebs.bzImage("6.12.1 (x@y) #1");
        Path image = Files.write(Files.createDirectories(dir.resolve("builds/key")).resolve("bzImage"), bz);
        // cached before sha256s were recorded: checked by its header, then its sha256 recorded
        assertThat(DebianSourceBuilder.damage(image)).isEmpty();
        assertThat(DebianSourceBuilder.sidecar(image)).hasContent(Sha256.hex(bz));
        Files.write(image, Arrays.copyOf(bz, 0x3000)); // a truncated copy (the header still parses)
        assertThat(DebianSourceBuilder.damage(image)).hasValue("sha256 " + Sha256.hex(image) + ", recorded " + Sha256.hex(bz));

        Files.delete(DebianSourceBuilder.sidecar(image));
        byte[] cut = TestDebs.bzImage("6.12.1 (x@y) #1");
        cut[0x1F4] = 0x00;
        cut[0x1F5] = 0x04; // declares 16 KiB of kernel after the setup code
        Files.write(image, Arrays.copyOf(cut, 0x3000));
        assertThat(DebianSourceBuilder.damage(image)).hasValueSatisfying(d -> assertThat(d).contains("truncated bzImage"));
        assertThat(DebianSourceBuilder.sidecar(image)).doesNotExist();
    }
}
