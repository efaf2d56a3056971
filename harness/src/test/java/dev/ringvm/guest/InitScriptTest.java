package dev.ringvm.guest;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.host.ProcessRunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitScriptTest {
    static Path repoFile(String rel) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(rel))) {
                return d.resolve(rel);
            }
        }
        throw new AssertionError(rel + " not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void packagedResourceIsVmImagesInit() throws Exception {
        assertThat(InitScript.TEXT).isEqualTo(Files.readString(repoFile("vm-images/init")));
    }

    @Test
    void runsTheProbeOnTtyS1AndPowersOff() {
        assertThat(InitScript.TEXT).startsWith("#!/bin/busybox sh\n")
                .contains("stty -F /dev/ttyS1 raw -echo", "ulimit -l unlimited",
                        "/jre/bin/java @/probe/java.args $javaopts -jar /probe/ring-init-probe.jar", "--out /dev/ttyS1 --nonce \"$nonce\" --grid \"$grid\"",
                        "ringvm: probe exited rc=$rc at ${up}s", "poweroff -f", "mount -t devtmpfs devtmpfs /dev");
    }

    @Test
    @Requires(Capability.BUSYBOX)
    void isValidShellForBusybox() throws Exception {
        Path busybox = GuestImage.DEFAULT_BUSYBOX;
        Path f = Files.createTempFile("init", ".sh");
        try {
            Files.writeString(f, InitScript.TEXT);
            var r = ProcessRunner.run(List.of(busybox.toString(), "sh", "-n", f.toString()), java.time.Duration.ofSeconds(10));
            assertThat(r.exitCode()).as(r.output()).isZero();
        } finally {
            Files.delete(f);
        }
    }
}
