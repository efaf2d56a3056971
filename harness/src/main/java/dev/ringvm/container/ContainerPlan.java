package dev.ringvm.container;

import dev.ringvm.vm.Accel;
import dev.ringvm.vm.QemuArgs;
import dev.ringvm.vm.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How one VM runs in a container, from the same {@link VmSpec} the default runner boots: the QEMU argv of
 * {@link QemuArgs#build} with host paths replaced by their mount points, the bind mounts, and whether /dev/kvm is
 * passed through. Pure; unit tested.
 *
 * @param argv     the container's command: a {@code timeout} backstop, then QEMU's argv
 * @param binds    kernel and guest image read-only, the VM directory read-write
 * @param kvm      pass /dev/kvm through (only when the spec's accelerator is KVM)
 * @param user     {@code uid:gid} QEMU runs as, so its files in the VM directory belong to the caller
 */
public record ContainerPlan(List<String> argv, List<Bind> binds, boolean kvm, String user) {
    public static final String KERNEL_DIR = "/ringvm/kernel";
    public static final String INITRAMFS_DIR = "/ringvm/initramfs";
    public static final String VM_DIR = "/ringvm/vm";
    /** QEMU inside the image, on its PATH. */
    public static final String IMAGE_QEMU = "qemu-system-x86_64";

    /** The QEMU binary in the image for a guest of {@code arch} (the image has qemu-system-x86 and qemu-system-arm). */
    static String imageQemu(dev.ringvm.config.Arch arch) {
        return arch.qemu(); // IMAGE_QEMU for x86-64
    }
    /**
     * The container ends by itself this long after ringvm's own per-VM deadline: ringvm kills and removes the
     * container at its deadline, the backstop only matters when ringvm itself was killed (SIGKILL skips its hooks).
     */
    static final Duration BACKSTOP_MARGIN = Duration.ofSeconds(60);

    /** A host path mounted at {@code container}. */
    public record Bind(Path host, String container, boolean readOnly) {}

    public ContainerPlan {
        argv = List.copyOf(argv);
        binds = List.copyOf(binds);
    }

    /**
     * @param host  the VM as the default runner would boot it; its console and results files must be in {@code vmDir}
     * @param vmDir the VM's directory on the host
     */
    public static ContainerPlan of(VmSpec host, Path vmDir, String user) {
        Path dir = vmDir.toAbsolutePath().normalize();
        for (Path f : List.of(host.consoleLog(), host.resultsLog())) {
            if (!dir.equals(f.toAbsolutePath().normalize().getParent())) {
                throw new IllegalArgumentException(f + " is not directly in the VM directory " + dir);
            }
        }
        Path kernel = host.kernel().toAbsolutePath().normalize();
        Path initramfs = host.initramfs().toAbsolutePath().normalize();
        String kernelIn = KERNEL_DIR + "/" + kernel.getFileName();
        String initramfsIn = INITRAMFS_DIR + "/" + initramfs.getFileName();
        VmSpec inside = new VmSpec(imageQemu(host.arch()), Path.of(kernelIn), Path.of(initramfsIn), host.memoryMiB(), host.cpus(),
                host.accel(), host.cmdlineExtras(), Path.of(VM_DIR, host.consoleLog().getFileName().toString()),
                Path.of(VM_DIR, host.resultsLog().getFileName().toString()), host.timeout(), host.arch(),
                host.pageKiB());
        List<String> argv = new ArrayList<>(backstop(host.timeout()));
        argv.addAll(QemuArgs.build(inside));
        List<Bind> binds = List.of(new Bind(kernel, kernelIn, true), new Bind(initramfs, initramfsIn, true),
                new Bind(dir, VM_DIR, false));
        return new ContainerPlan(argv, binds, host.accel() == Accel.KVM, user);
    }

    /** coreutils' timeout in front of QEMU: SIGKILL at the per-VM timeout plus {@link #BACKSTOP_MARGIN}. */
    static List<String> backstop(Duration timeout) {
        return List.of("timeout", "--signal=KILL", timeout.plus(BACKSTOP_MARGIN).toSeconds() + "s");
    }

    /** QEMU's own argv (the command after the backstop). */
    public List<String> qemuArgv() {
        return argv.subList(3, argv.size());
    }
}
