package dev.ringvm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's process handling with stand-in "QEMU" scripts: no QEMU or kernel needed. */
class VmProcessTest {
    static VmSpec spec(Path dir, String script, Duration timeout) throws Exception {
        Path fake = dir.resolve("fake-qemu");
        Files.writeString(fake, "#!/bin/sh\n" + script + "\n");
        fake.toFile().setExecutable(true);
        Path kernel = Files.writeString(dir.resolve("kernel"), "k");
        Path initrd = Files.writeString(dir.resolve("initrd"), "i");
        return VmSpec.of(kernel, initrd, dir.resolve("con.log"), dir.resolve("res.log"))
                .withQemu(fake.toString()).withTimeout(timeout);
    }

    @Test
    void timeoutIsAResultAndLeavesNoProcess(@TempDir Path dir) throws Exception {
        List<VmEvent> events = new ArrayList<>();
        long t0 = System.nanoTime();
        Vm vm = Vm.start(spec(dir, "exec sleep 60", Duration.ofMillis(500)), events::add);
        long pid = vm.pid();
        VmExit exit = vm.await();
        vm.close();
        vm.close(); // idempotent
        assertThat(exit).isEqualTo(new VmExit.TimedOut(Duration.ofMillis(500)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(events).hasSize(2);
        assertThat(events.getFirst()).isInstanceOf(VmEvent.Started.class);
        assertThat(events.getLast()).isEqualTo(new VmEvent.Exited(exit));
    }

    @Test
    void exitZeroIsPoweredOff(@TempDir Path dir) throws Exception {
        try (Vm vm = Vm.start(spec(dir, "exit 0", Duration.ofSeconds(10)))) {
            assertThat(vm.await()).isInstanceOf(VmExit.PoweredOff.class);
            assertThat(vm.await()).isSameAs(vm.await());
        }
    }

    @Test
    void nonZeroExitIsQemuFailedWithItsOutput(@TempDir Path dir) throws Exception {
        try (Vm vm = Vm.start(spec(dir, "echo 'qemu-system-x86_64: -accel kvm: failed to initialize kvm' >&2; exit 1",
                Duration.ofSeconds(10)))) {
            VmExit exit = vm.await();
            assertThat(exit).isInstanceOf(VmExit.QemuFailed.class);
            VmExit.QemuFailed f = (VmExit.QemuFailed) exit;
            assertThat(f.exitCode()).isEqualTo(1);
            assertThat(f.stderrTail()).contains("failed to initialize kvm");
        }
    }

    @Test
    void argvReachesQemuUnsplit(@TempDir Path dir) throws Exception {
        Path args = dir.resolve("args");
        VmSpec s = spec(dir, "for a in \"$@\"; do echo \"$a\"; done > '" + args + "'", Duration.ofSeconds(10))
                .withCmdlineExtras(List.of("ringvm.nonce=x"));
        try (Vm vm = Vm.start(s)) {
            vm.await();
        }
        List<String> got = Files.readAllLines(args);
        assertThat(got).contains("-append").anyMatch(l -> l.startsWith("console=ttyS0 panic=-1") && l.endsWith("ringvm.nonce=x"));
    }

    @Test
    void relativeLogPathsReachQemuAbsolute(@TempDir Path dir) throws Exception {
        // QEMU runs in its private temporary directory: "--out runs/..." must not be opened there
        Path args = dir.resolve("args");
        VmSpec s = spec(dir, "for a in \"$@\"; do echo \"$a\"; done > '" + args + "'", Duration.ofSeconds(10));
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("con.log"));
        s = new VmSpec(s.qemu(), s.kernel(), s.initramfs(), s.memoryMiB(), s.cpus(), s.accel(), s.cmdlineExtras(),
                relative, s.resultsLog(), s.timeout());
        try (Vm vm = Vm.start(s)) {
            vm.await();
        }
        assertThat(Files.readAllLines(args)).contains("file,id=con,path=" + dir.resolve("con.log").toAbsolutePath());
    }

    @Test
    void closeKillsARunningVm(@TempDir Path dir) throws Exception {
        Vm vm = Vm.start(spec(dir, "exec sleep 60", Duration.ofSeconds(60)));
        long pid = vm.pid();
        assertThat(vm.isRunning()).isTrue();
        vm.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void missingQemuIsAClearError(@TempDir Path dir) throws Exception {
        VmSpec s = spec(dir, "", Duration.ofSeconds(1)).withQemu("qemu-system-nonexistent-arch");
        assertThatThrownBy(() -> Vm.start(s)).isInstanceOf(QemuNotFoundException.class)
                .hasMessage("qemu-system-nonexistent-arch not found on PATH (install qemu-system-x86)");
        assertThat(new QemuNotFoundException("qemu-system-x86_64").getMessage())
                .isEqualTo("qemu-system-x86_64 not found on PATH (install qemu-system-x86)");
    }
}
