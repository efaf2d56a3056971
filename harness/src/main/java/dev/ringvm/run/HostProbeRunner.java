package dev.ringvm.run;

import dev.ringvm.model.GuestRun;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.host.ProcessRunner;
import dev.ringvm.vm.VmExit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the probe jar directly on the running kernel ({@code host: true}): no VM, the same records and the same
 * classification as a VM ({@link QemuVmRunner#classify}), with the probe process in QEMU's place: ending on its
 * own is a power-off, the deadline is a timeout, and a non-zero exit is named in the detail.
 */
public final class HostProbeRunner implements VmRunner {
    private final Path java;
    private final Path probeJar;
    private final Duration timeout;
    private final String grid;
    private final String only;

    /** Runs the probe with the JDK ringvm itself runs on ({@code <java.home>/bin/java}). */
    public HostProbeRunner(Path probeJar, Duration timeout, String grid, String only) {
        this(Path.of(System.getProperty("java.home"), "bin", "java"), probeJar, timeout, grid, only);
    }

    HostProbeRunner(Path java, Path probeJar, Duration timeout, String grid, String only) {
        this.java = java;
        this.probeJar = probeJar;
        this.timeout = timeout;
        this.grid = grid;
        this.only = only;
    }

    /** The probe's argv; pure, unit-tested. */
    List<String> argv(Path results, String nonce) {
        List<String> argv = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                probeJar.toString(), "--out", results.toString(), "--nonce", nonce));
        if (grid != null) argv.addAll(List.of("--grid", grid));
        if (only != null) argv.addAll(List.of("--only", only));
        return argv;
    }

    @Override
    public VmResult run(VmJob job, Path vmDir, String nonce) throws InterruptedException {
        Path console = vmDir.resolve("console.log");
        Path results = vmDir.resolve("results.log");
        long t0 = System.nanoTime();
        VmExit exit;
        int code;
        try {
            Files.deleteIfExists(results);
            ProcessRunner.Result r = ProcessRunner.run(argv(results, nonce), vmDir, timeout);
            Files.writeString(console, r.stdout() + r.stderr(), StandardCharsets.UTF_8);
            code = r.exitCode();
            exit = r.timedOut() ? new VmExit.TimedOut(timeout)
                    : new VmExit.PoweredOff(Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            code = -1;
            exit = new VmExit.QemuFailed(-1, "cannot run " + java + ": " + e.getMessage());
        }
        if (Thread.interrupted()) throw new InterruptedException("host probe interrupted");
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        GuestRun guest = ResultsLog.read(results, nonce);
        VmResult v = QemuVmRunner.classify(job, exit, guest, wall, "host", console, results);
        if (code > 0 && exit instanceof VmExit.PoweredOff && !v.complete()) {
            return new VmResult(job, v.status(), "probe exited " + code + ": " + v.detail(), guest, wall, "host",
                    console, results, v.console());
        }
        return v;
    }
}
