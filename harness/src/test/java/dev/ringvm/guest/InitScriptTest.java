package dev.ringvm.guest;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.host.ProcessRunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void setsTransparentHugePagesToMadviseBeforeTheProbeStarts() {
        String call = "thp_madvise /sys/kernel/mm/transparent_hugepage\n";
        assertThat(InitScript.TEXT).contains(call);
        assertThat(InitScript.TEXT.indexOf(call)).as("THP is set before the probe runs")
                .isGreaterThan(InitScript.TEXT.indexOf("thp_madvise() {"))
                .isLessThan(InitScript.TEXT.indexOf("echo \"ringvm: probe starting\""));
    }

    /** Below 512 MiB of RAM the kernel boots with THP off ("never"): init writes madvise to both knobs. */
    @Test
    @Requires(Capability.BUSYBOX)
    void thpKnobsThatExistAreSetToMadviseWithAConsoleLine(@TempDir Path sysfs) throws Exception {
        Files.writeString(sysfs.resolve("enabled"), "always madvise [never]\n");
        Files.writeString(sysfs.resolve("defrag"), "always defer defer+madvise madvise [never]\n");
        ProcessRunner.Result r = thpMadvise(sysfs);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(Files.readString(sysfs.resolve("enabled"))).isEqualTo("madvise\n");
        assertThat(Files.readString(sysfs.resolve("defrag"))).isEqualTo("madvise\n");
        // on the real sysfs the read-back is the kernel's list with the choice in brackets
        assertThat(r.stdout().lines()).containsExactly("ringvm: THP enabled set to madvise: madvise",
                "ringvm: THP defrag set to madvise: madvise");
    }

    /** A kernel without CONFIG_TRANSPARENT_HUGEPAGE has no such directory: left alone, said so, init goes on. */
    @Test
    @Requires(Capability.BUSYBOX)
    void missingThpKnobsAreLeftAloneWithAConsoleLine(@TempDir Path sysfs) throws Exception {
        Path none = sysfs.resolve("transparent_hugepage");
        ProcessRunner.Result r = thpMadvise(none);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout().lines()).containsExactly("ringvm: no " + none + "/enabled, THP enabled left alone",
                "ringvm: no " + none + "/defrag, THP defrag left alone");
        assertThat(none).doesNotExist();
    }

    /** A knob that refuses the write (the kernel answers EINVAL to a value it does not know): said, not fatal. */
    @Test
    @Requires(Capability.BUSYBOX)
    void aRefusedThpWriteIsReportedAndInitGoesOn(@TempDir Path sysfs) throws Exception {
        Files.createDirectory(sysfs.resolve("enabled")); // writing to it fails as a refused sysfs write does
        Files.writeString(sysfs.resolve("defrag"), "[never]\n");
        ProcessRunner.Result r = thpMadvise(sysfs);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout().lines()).containsExactly("ringvm: THP enabled: writing madvise failed, left as: ",
                "ringvm: THP defrag set to madvise: madvise");
    }

    /** Runs the init script's thp_madvise function (the script's own text) on {@code dir} with busybox sh. */
    private static ProcessRunner.Result thpMadvise(Path dir) throws Exception {
        Path busybox = GuestImage.DEFAULT_BUSYBOX;
        String text = InitScript.TEXT;
        int start = text.indexOf("thp_madvise() {\n");
        int end = text.indexOf("\n}\n", start);
        assertThat(start).as("thp_madvise() in the init script").isNotNegative();
        String function = text.substring(start, end + 3);
        return ProcessRunner.run(List.of(busybox.toString(), "sh", "-c", function + "thp_madvise \"$1\"\n", "sh",
                dir.toString()), Duration.ofSeconds(10));
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
