package dev.ringvm.run;

import dev.ringvm.config.KernelSource;

import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.vm.Accel;
import dev.ringvm.vm.VmExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * vng's argv and guest script (pure), and the runner's process handling with a stand-in {@code vng} script that
 * behaves like the real one on the outside: console on stdout/stderr, records to the --qemu-opts file, exit code.
 */
class VngVmRunnerTest {

    @TempDir
    Path dir;

    private static VngVmRunner runner(Path vng, Accel accel, String only, String qemu, Duration timeout) {
        return new VngVmRunner(vng, Path.of("/usr/lib/jvm/jdk-25/bin/java"), Path.of("/opt/ringvm/probe.jar"), accel,
                timeout, "default", only, qemu, null);
    }

    @Test
    void argvBootsTheKernelWithTheResultsSerialAndTheProbeScript() {
        VngVmRunner r = runner(Path.of("/usr/bin/vng"), Accel.TCG, null, null, Duration.ofSeconds(60));
        List<String> argv = r.argv(Path.of("/tmp/ringvm-vng-1/image/vmlinuz"), 512, Path.of("/tmp/ringvm-vng-1/results.log"), "ab12");
        assertThat(argv.subList(0, 11)).containsExactly("/usr/bin/vng", "--run", "/tmp/ringvm-vng-1/image/vmlinuz",
                "--verbose", "--memory", "512M", "--cpus", "1", "--disable-kvm",
                "--append", "loglevel=5 hugepagesz=2M hugepages=16 transparent_hugepage=madvise");
        assertThat(argv.get(11)).isEqualTo("--qemu-opts=-chardev file,id=ringvm-results,path=/tmp/ringvm-vng-1/results.log"
                + " -serial chardev:ringvm-results");
        assertThat(argv.get(12)).isEqualTo("--exec");
        assertThat(argv).hasSize(14);
        assertThat(argv.getLast()).isEqualTo(r.guestScript("ab12"));
    }

    @Test
    void kvmKeepsKvmAndAnotherQemuIsPassed() {
        VngVmRunner r = runner(Path.of("/usr/bin/vng"), Accel.KVM, null, "/opt/qemu/bin/qemu-system-x86_64", Duration.ofSeconds(60));
        List<String> argv = r.argv(Path.of("/k/vmlinuz"), 2048, Path.of("/r/results.log"), "n");
        assertThat(argv).doesNotContain("--disable-kvm").containsSubsequence("--qemu", "/opt/qemu/bin/qemu-system-x86_64")
                .contains("loglevel=5 hugepagesz=2M hugepages=64 transparent_hugepage=madvise");
        assertThat(VngVmRunner.qemuOption("qemu-system-x86_64")).isNull();
        assertThat(VngVmRunner.qemuOption("/opt/qemu/bin/qemu-system-x86_64")).isEqualTo("/opt/qemu/bin/qemu-system-x86_64");
    }

    @Test
    void vngSetsConsoleAndPanicItself() {
        assertThat(VngVmRunner.appendTokens(512)).noneMatch(t -> t.startsWith("console=") || t.startsWith("panic="));
    }

    @Test
    void pathsVngWouldSplitInItsShellStringAreRefused() {
        VngVmRunner r = runner(Path.of("/usr/bin/vng"), Accel.TCG, null, null, Duration.ofSeconds(60));
        assertThatThrownBy(() -> r.argv(Path.of("/my kernels/vmlinuz"), 512, Path.of("/r/results.log"), "n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel path");
        assertThatThrownBy(() -> r.argv(Path.of("/k/vmlinuz"), 512, Path.of("/r;rm -rf ~/results.log"), "n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("results path");
        assertThatThrownBy(() -> runner(Path.of("/usr/bin/vng"), Accel.TCG, null, "/q $(x)/qemu", Duration.ofSeconds(1))
                .argv(Path.of("/k/vmlinuz"), 512, Path.of("/r/results.log"), "n")).hasMessageContaining("QEMU binary");
    }

    @Test
    void guestScriptRunsTheHostJdkOnTtyS1AndQuotesForTheShell() {
        VngVmRunner r = new VngVmRunner(Path.of("/usr/bin/vng"), Path.of("/jdk's/bin/java"), Path.of("/p/probe.jar"),
                Accel.TCG, Duration.ofSeconds(5), "default", "sq4.*", null, null);
        String script = r.guestScript("n0");
        assertThat(script.lines()).first().asString().startsWith("stty -F /dev/ttyS1 raw -echo");
        assertThat(script).contains("ulimit -l unlimited")
                .contains("echo \"ringvm: probe starting at")
                .contains("'/jdk'\\''s/bin/java' -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xmx96m"
                        + " -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -jar '/p/probe.jar' --out /dev/ttyS1"
                        + " --nonce 'n0' --grid 'default' --only 'sq4.*'")
                .contains("rc=$?").endsWith("exit $rc");
        assertThat(VngVmRunner.quote("a'b")).isEqualTo("'a'\\''b'");
    }

    @Test
    void aNonZeroExitAfterTheProbeStartedIsThePoweredOffGuestsDoing() {
        VmExit failed = new VmExit.QemuFailed(1, "x");
        Duration wall = Duration.ofSeconds(9);
        assertThat(VngVmRunner.guestExit(failed, true, wall)).isEqualTo(new VmExit.PoweredOff(wall));
        assertThat(VngVmRunner.guestExit(failed, false, wall)).isSameAs(failed);
        VmExit timedOut = new VmExit.TimedOut(Duration.ofSeconds(5));
        assertThat(VngVmRunner.guestExit(timedOut, true, wall)).isSameAs(timedOut);
    }

    @Test
    void vngIsLookedUpOnPath() throws Exception {
        assertThat(VngVmRunner.locate(dir.toString())).isEmpty();
        Path vng = fake("exit 0");
        assertThat(VngVmRunner.locate(dir.toString())).isEqualTo(Optional.of(vng));
        assertThat(VngVmRunner.NOT_INSTALLED).contains("virtme-ng is not installed").contains("bookworm")
                .contains("trixie has 1.35").doesNotContain("\n");
    }

    // --- the runner with a stand-in vng ---

    /** Writes the stand-in as {@code dir/vng}. {@code $RES} is the results file it was given, {@code $TMPDIR} vng's. */
    private Path fake(String body) throws Exception {
        Path vng = dir.resolve("vng");
        Files.writeString(vng, """
                #!/bin/sh
                RES=
                for a in "$@"; do case "$a" in --qemu-opts=*) RES=$(echo "$a" | sed 's/.*path=\\([^ ]*\\).*/\\1/');; esac; done
                """ + body + "\n");
        vng.toFile().setExecutable(true);
        return vng;
    }

    private VmJob job() throws Exception {
        Path image = Files.writeString(dir.resolve("vmlinuz"), "not really a kernel");
        return new VmJob(new ResolvedKernel("k", new KernelSource.PathSource(image), image, "ab".repeat(32), "6.12.0", "6.12.0 #1",
                null, null), 512);
    }

    private static String records() {
        return String.join("\n", Fixtures.grid("6.12.0", "ok", 0));
    }

    private VmResult run(String body, Duration timeout) throws Exception {
        Path vmDir = Files.createDirectories(dir.resolve("vm"));
        return runner(fake(body), Accel.TCG, null, null, timeout).run(job(), vmDir, Fixtures.NONCE);
    }

    @Test
    void recordsFromTheSerialFileAndVngsOutputInTheConsoleLog() throws Exception {
        VmResult v = run("""
                echo 'early console in setup code' >&2
                echo 'ringvm: probe starting at 30.1s kernel 6.12.0'
                cat > "$RES" <<'EOF'
                """ + records() + """

                EOF
                echo 'ringvm: probe exited rc=0 at 41.0s'
                exit 0""", Duration.ofSeconds(20));
        assertThat(v.status()).as(v.detail()).isEqualTo(VmResult.Status.COMPLETE);
        assertThat(v.guest().cases()).hasSize(3);
        assertThat(v.accel()).isEqualTo("tcg");
        assertThat(v.resultsLog()).isEqualTo(dir.resolve("vm/results.log"));
        assertThat(Files.readString(v.consoleLog())).contains("early console in setup code")
                .contains("ringvm: probe exited rc=0");
    }

    @Test
    void aProbeThatDiesMidGridIsIncompleteNamingTheCase() throws Exception {
        VmResult v = run("""
                echo 'ringvm: probe starting at 30.1s kernel 6.12.0'
                cat > "$RES" <<'EOF'
                """ + String.join("\n", Fixtures.grid("6.12.0", "ok", 0).subList(0, 4)) + """

                EOF
                echo 'ringvm: probe exited rc=134 at 41.0s'
                exit 134""", Duration.ofSeconds(20));
        assertThat(v.status()).isEqualTo(VmResult.Status.INCOMPLETE);
        assertThat(v.detail()).contains("during case").contains("memalign/sq128")
                .contains("console: ringvm: probe exited rc=134");
    }

    @Test
    void vngFailingBeforeTheGuestIsNamedWithItsLastLine() throws Exception {
        VmResult v = run("echo 'vng: error: argument --run/-r: expected one argument' >&2; exit 2", Duration.ofSeconds(20));
        assertThat(v.status()).isEqualTo(VmResult.Status.QEMU_FAILED);
        assertThat(v.detail()).startsWith("vng exited 2: vng: error: argument --run/-r: expected one argument");
    }

    @Test
    void timeoutKillsTheTreeAndWhatVngDetached() throws Exception {
        Path pids = dir.resolve("pids");
        Path tmpdir = dir.resolve("tmpdir");
        // a child in the tree (QEMU's place) and a daemon detached from it (reparented to init) whose command
        // line names vng's TMPDIR, as virtiofsd's socket path does
        long t0 = System.nanoTime();
        VmResult v = run("""
                echo "$TMPDIR" > '%s'
                sleep 300 &
                echo $! > '%s'
                (setsid sh -c 'while :; do sleep 1; done' "$TMPDIR/virtme-socket" </dev/null >/dev/null 2>&1 &)
                echo 'ringvm: probe starting at 30.1s kernel 6.12.0'
                wait""".formatted(tmpdir, pids), Duration.ofSeconds(5)); // 5 s: time for the script on a busy host
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(v.status()).isEqualTo(VmResult.Status.TIMEOUT);
        assertThat(v.detail()).contains("killed after the 5 s timeout");
        long child = Long.parseLong(Files.readString(pids).strip());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("child in the tree").isFalse();
        String vngTmp = Files.readString(tmpdir).strip();
        assertThat(vngTmp).contains("ringvm-vng-");
        assertThat(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().orElse("").contains(vngTmp + "/")).toList())
                .as("detached daemon").isEmpty();
        assertThat(Path.of(vngTmp)).doesNotExist();
    }
}
