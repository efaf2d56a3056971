package dev.ringvm.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuArgsTest {
    static final VmSpec SPEC = VmSpec.of(Path.of("/k/vmlinuz"), Path.of("/i/initramfs.cpio.gz"),
            Path.of("/run/console.log"), Path.of("/run/results.jsonl"));

    @Test
    void accelAndCpu() {
        assertThat(QemuArgs.accel(Accel.KVM)).containsExactly("-accel", "kvm");
        assertThat(QemuArgs.accel(Accel.TCG)).containsExactly("-accel", "tcg");
        assertThat(QemuArgs.cpu(Accel.KVM)).containsExactly("-cpu", "host");
        assertThat(QemuArgs.cpu(Accel.TCG)).containsExactly("-cpu", "max");
    }

    @Test
    void machineMemorySmp() {
        assertThat(QemuArgs.machine()).containsExactly("-machine", "q35");
        assertThat(QemuArgs.memory(512)).containsExactly("-m", "512M");
        assertThat(QemuArgs.memory(2048)).containsExactly("-m", "2048M");
        assertThat(QemuArgs.smp(2)).containsExactly("-smp", "2");
    }

    @Test
    void kernelInitrdAppendAreSingleArguments() {
        assertThat(QemuArgs.kernel(Path.of("/a b/k"), Path.of("/i"), "console=ttyS0 panic=-1"))
                .containsExactly("-kernel", "/a b/k", "-initrd", "/i", "-append", "console=ttyS0 panic=-1");
    }

    @Test
    void serialPortsGoToFilesAndCommasAreEscaped() {
        assertThat(QemuArgs.serial(Path.of("/r/con.log"), Path.of("/r/a,b.jsonl"))).containsExactly(
                "-chardev", "file,id=con,path=/r/con.log", "-serial", "chardev:con",
                "-chardev", "file,id=res,path=/r/a,,b.jsonl", "-serial", "chardev:res");
    }

    @Test
    void headlessNoRebootPidfile() {
        assertThat(QemuArgs.headless()).containsExactly("-display", "none", "-monitor", "none", "-nodefaults", "-nic", "none");
        assertThat(QemuArgs.noReboot()).containsExactly("-no-reboot");
        assertThat(QemuArgs.pidfile(Path.of("/r/q.pid"))).containsExactly("-pidfile", "/r/q.pid");
    }

    @Test
    void appendIsBaseThenExtras() {
        VmSpec s = SPEC.withCmdlineExtras(KernelCmdline.probe("n1", "default", null, List.of()));
        assertThat(QemuArgs.append(s)).isEqualTo("console=ttyS0 panic=-1 loglevel=5 hugepagesz=2M hugepages=16 "
                + "transparent_hugepage=madvise ringvm.nonce=n1 ringvm.grid=default");
    }

    @Test
    void buildComposesEverythingInOrder() {
        List<String> argv = QemuArgs.build(SPEC.withAccel(Accel.KVM).withMemoryMiB(2048), Path.of("/r/q.pid"));
        assertThat(argv).containsExactly("qemu-system-x86_64", "-accel", "kvm", "-machine", "q35", "-cpu", "host",
                "-m", "2048M", "-smp", "1", "-kernel", "/k/vmlinuz", "-initrd", "/i/initramfs.cpio.gz", "-append",
                "console=ttyS0 panic=-1 loglevel=5 hugepagesz=2M hugepages=64 transparent_hugepage=madvise",
                "-chardev", "file,id=con,path=/run/console.log", "-serial", "chardev:con",
                "-chardev", "file,id=res,path=/run/results.jsonl", "-serial", "chardev:res",
                "-display", "none", "-monitor", "none", "-nodefaults", "-nic", "none", "-no-reboot",
                "-pidfile", "/r/q.pid");
    }

    @Test
    void arm64BootsTheVirtBoardWithResultsOnAVirtioConsole() {
        List<String> argv = QemuArgs.build(SPEC.withGuest(dev.ringvm.config.Arch.ARM64, 16).withMemoryMiB(512));
        assertThat(argv).containsExactly("qemu-system-aarch64", "-accel", "tcg", "-machine", "virt", "-cpu", "max",
                "-m", "512M", "-smp", "1", "-kernel", "/k/vmlinuz", "-initrd", "/i/initramfs.cpio.gz", "-append",
                "console=ttyAMA0 panic=-1 loglevel=5 hugepagesz=32M hugepages=4 transparent_hugepage=madvise"
                        + " ringvm.results=/dev/hvc0 cma=0",
                "-chardev", "file,id=con,path=/run/console.log", "-serial", "chardev:con",
                "-device", "virtio-serial-pci",
                "-chardev", "file,id=res,path=/run/results.jsonl", "-device", "virtconsole,chardev=res",
                "-display", "none", "-monitor", "none", "-nodefaults", "-nic", "none", "-no-reboot");
    }

    @Test
    void guestKeepsAQemuChosenBeforeOnlyForTheSameArchitecture() {
        assertThat(SPEC.withQemu("/opt/q/qemu-system-x86_64").withGuest(dev.ringvm.config.Arch.X86_64, 4).qemu())
                .isEqualTo("/opt/q/qemu-system-x86_64");
        assertThat(SPEC.withQemu("/opt/q/qemu-system-x86_64").withGuest(dev.ringvm.config.Arch.ARM64, 4).qemu())
                .isEqualTo("qemu-system-aarch64");
        assertThat(SPEC.withGuest(dev.ringvm.config.Arch.ARM64, 4).withQemu("/opt/q/qemu-system-aarch64").qemu())
                .isEqualTo("/opt/q/qemu-system-aarch64");
        assertThatThrownBy(() -> SPEC.withGuest(dev.ringvm.config.Arch.ARM64, 8)).hasMessageContaining("pageKiB");
    }

    @Test
    void specValidation() {
        assertThatThrownBy(() -> SPEC.withMemoryMiB(32)).hasMessageContaining("memoryMiB");
        assertThatThrownBy(() -> SPEC.withCpus(0)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> SPEC.withTimeout(Duration.ZERO)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> SPEC.withCmdlineExtras(List.of("a b"))).hasMessageContaining("whitespace");
        assertThat(SPEC.memoryMiB()).isEqualTo(512);
        assertThat(SPEC.cpus()).isEqualTo(1);
        assertThat(SPEC.accel()).isEqualTo(Accel.TCG);
    }
}
