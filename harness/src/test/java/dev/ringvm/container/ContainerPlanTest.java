package dev.ringvm.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringvm.vm.Accel;
import dev.ringvm.vm.QemuArgs;
import dev.ringvm.vm.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The container's QEMU argv is the default runner's, with host paths replaced by mount points. */
class ContainerPlanTest {
    static final Path VM = Path.of("/runs/r1/debian-6.12-512M");
    static final VmSpec HOST = VmSpec.of(Path.of("/cache/kernels/ab12/vmlinuz"), Path.of("/cache/guest/cd34/initramfs.cpio"),
                    VM.resolve("console.log"), VM.resolve("results.log"))
            .withMemoryMiB(2048).withTimeout(Duration.ofSeconds(300)).withCmdlineExtras(List.of("ringvm.nonce=n1", "ringvm.grid=default"));

    @Test
    void argvIsTheDefaultRunnersWithOnlyPathsMapped() {
        ContainerPlan plan = ContainerPlan.of(HOST, VM, "0:0");
        List<String> expected = new ArrayList<>(QemuArgs.build(HOST.withQemu(ContainerPlan.IMAGE_QEMU)));
        // exactly the path-carrying values differ, each replaced by its mount point
        replace(expected, "/cache/kernels/ab12/vmlinuz", "/ringvm/kernel/vmlinuz");
        replace(expected, "/cache/guest/cd34/initramfs.cpio", "/ringvm/initramfs/initramfs.cpio");
        replace(expected, "file,id=con,path=" + VM.resolve("console.log"), "file,id=con,path=/ringvm/vm/console.log");
        replace(expected, "file,id=res,path=" + VM.resolve("results.log"), "file,id=res,path=/ringvm/vm/results.log");
        assertThat(plan.qemuArgv()).isEqualTo(expected);
        assertThat(plan.argv()).startsWith("timeout", "--signal=KILL", "360s", "qemu-system-x86_64");
        assertThat(String.join(" ", plan.argv())).doesNotContain("/cache/", "/runs/").contains("ringvm.nonce=n1");
    }

    @Test
    void kernelAndImageAreReadOnlyTheVmDirectoryWritable() {
        assertThat(ContainerPlan.of(HOST, VM, "1000:1000").binds()).containsExactly(
                new ContainerPlan.Bind(Path.of("/cache/kernels/ab12/vmlinuz"), "/ringvm/kernel/vmlinuz", true),
                new ContainerPlan.Bind(Path.of("/cache/guest/cd34/initramfs.cpio"), "/ringvm/initramfs/initramfs.cpio", true),
                new ContainerPlan.Bind(VM, "/ringvm/vm", false));
    }

    @Test
    void kvmDeviceOnlyUnderKvm() {
        assertThat(ContainerPlan.of(HOST, VM, "0:0").kvm()).isFalse();
        ContainerPlan kvm = ContainerPlan.of(HOST.withAccel(Accel.KVM), VM, "0:0");
        assertThat(kvm.kvm()).isTrue();
        assertThat(kvm.qemuArgv()).containsSequence("-accel", "kvm").containsSequence("-cpu", "host");
    }

    @Test
    void relativePathsAreMadeAbsoluteForDocker() {
        Path rel = Path.of("runs/x/k-512M");
        VmSpec spec = VmSpec.of(Path.of("k/vmlinuz"), Path.of("i.cpio"), rel.resolve("console.log"), rel.resolve("results.log"));
        assertThat(ContainerPlan.of(spec, rel, "0:0").binds()).allMatch(b -> b.host().isAbsolute());
    }

    @Test
    void logsOutsideTheVmDirectoryAreRefused() {
        VmSpec elsewhere = VmSpec.of(Path.of("/k"), Path.of("/i"), Path.of("/tmp/console.log"), VM.resolve("results.log"));
        assertThatThrownBy(() -> ContainerPlan.of(elsewhere, VM, "0:0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/tmp/console.log");
    }

    @Test
    void backstopOutlastsTheTimeout() {
        assertThat(ContainerPlan.backstop(Duration.ofSeconds(30))).containsExactly("timeout", "--signal=KILL", "90s");
    }

    private static void replace(List<String> l, String from, String to) {
        int i = l.indexOf(from);
        assertThat(i).as(from).isNotNegative();
        l.set(i, to);
    }
}
