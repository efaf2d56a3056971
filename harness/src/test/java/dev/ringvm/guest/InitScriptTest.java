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
    void runsTheProbeOnTheResultsChannelAndPowersOff() {
        assertThat(InitScript.TEXT).startsWith("#!/bin/busybox sh\n")
                .contains("results=/dev/ttyS1\n", "stty -F \"$results\" raw -echo", "ulimit -l unlimited",
                        "/jre/bin/java @/probe/java.args $javaopts -jar /probe/ring-init-probe.jar", "--out \"$results\" --nonce \"$nonce\" --grid \"$grid\"",
                        "chmod 666 \"$results\"", "ringvm: probe exited rc=$rc at ${up}s", "poweroff -f",
                        "mount -t devtmpfs devtmpfs /dev", "parse_cmdline $(cat /proc/cmdline)\n");
        // every use of the results device goes through $results: the default is the only literal one
        assertThat(InitScript.TEXT.lines().filter(l -> !l.startsWith("#") && l.contains("/dev/ttyS1")))
                .containsExactly("results=/dev/ttyS1");
    }

    /** Without ringvm.results= the channel is ttyS1 (x86-64 unchanged); arm64's command line names hvc0. */
    @Test
    @Requires(Capability.BUSYBOX)
    void resultsChannelComesFromTheCommandLineWithTtyS1AsDefault() throws Exception {
        assertThat(parseCmdline("ringvm.nonce=abc ringvm.grid=default").stdout())
                .isEqualTo("results=/dev/ttyS1 nonce=abc grid=default\n");
        assertThat(parseCmdline("console=ttyAMA0 ringvm.nonce=n1 ringvm.results=/dev/hvc0 ringvm.only=memalign/sq1").stdout())
                .isEqualTo("results=/dev/hvc0 nonce=n1 grid=default\n");
    }

    /** A value that is no device path would make the probe write a file in the initramfs: refused, said, default kept. */
    @Test
    @Requires(Capability.BUSYBOX)
    void aResultsValueThatIsNoDevicePathIsIgnoredWithAConsoleLine() throws Exception {
        assertThat(parseCmdline("ringvm.results=probe.log ringvm.nonce=x").stdout().lines()).containsExactly(
                "ringvm: ignoring ringvm.results=probe.log: the results channel must be a /dev path; using /dev/ttyS1",
                "results=/dev/ttyS1 nonce=x grid=default");
        assertThat(parseCmdline("ringvm.results=/dev/ ringvm.nonce=x").stdout().lines()).containsExactly(
                "ringvm: ignoring ringvm.results=/dev/: the results channel must be a /dev path; using /dev/ttyS1",
                "results=/dev/ttyS1 nonce=x grid=default");
    }

    /** Runs the init script's variable defaults and parse_cmdline (the script's own text) on {@code cmdline}. */
    private static ProcessRunner.Result parseCmdline(String cmdline) throws Exception {
        String text = InitScript.TEXT;
        int start = text.indexOf("\nnonce=\n");
        int end = text.indexOf("\n}\n", text.indexOf("parse_cmdline() {\n"));
        assertThat(start).as("the variable defaults in the init script").isNotNegative();
        assertThat(end).as("parse_cmdline() in the init script").isGreaterThan(start);
        String defaultsAndFunction = text.substring(start + 1, end + 3);
        ProcessRunner.Result r = ProcessRunner.run(List.of(GuestImage.DEFAULT_BUSYBOX.toString(), "sh", "-c",
                defaultsAndFunction + "parse_cmdline $1\necho \"results=$results nonce=$nonce grid=$grid\"\n", "sh",
                cmdline), Duration.ofSeconds(10));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r;
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
