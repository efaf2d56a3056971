package dev.ringvm.vm;

import dev.ringvm.config.Arch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** QEMU argv, one small pure function per concern; {@link #build} composes them. */
public final class QemuArgs {
    /**
     * Machine type. Measured under TCG with the Debian 6.1 cloud kernel and a busybox initramfs: pc and
     * q35 boot to poweroff equally fast (see the guest image report); q35 is the modern default.
     */
    public static final String MACHINE = "q35";
    /**
     * arm64: QEMU's generic {@code virt} board (PL011 UART, PCIe host bridge, GIC), the one board every Debian arm64
     * kernel drives with built-in drivers; its CPU is {@code max} under TCG, which implements the 4K, 16K and 64K
     * translation granules (cortex-a57 and a53 lack 16K, so a 16K kernel would stop before its first message).
     */
    public static final String MACHINE_ARM64 = "virt";

    private QemuArgs() {}

    public static List<String> accel(Accel accel) {
        return switch (accel) {
            case KVM -> List.of("-accel", "kvm");
            case TCG -> List.of("-accel", "tcg");
        };
    }

    /** host passes the real CPU through under KVM; max gives TCG every feature it emulates. */
    public static List<String> cpu(Accel accel) {
        return switch (accel) {
            case KVM -> List.of("-cpu", "host");
            case TCG -> List.of("-cpu", "max");
        };
    }

    public static List<String> machine() {
        return List.of("-machine", MACHINE);
    }

    public static List<String> machine(Arch arch) {
        return switch (arch) {
            case X86_64 -> machine();
            case ARM64 -> List.of("-machine", MACHINE_ARM64);
        };
    }

    public static List<String> memory(int memoryMiB) {
        return List.of("-m", memoryMiB + "M");
    }

    public static List<String> smp(int cpus) {
        return List.of("-smp", Integer.toString(cpus));
    }

    public static List<String> kernel(Path kernel, Path initramfs, String append) {
        return List.of("-kernel", kernel.toString(), "-initrd", initramfs.toString(), "-append", append);
    }

    /**
     * The console and results channels for {@code arch}: x86-64's two 16550 serials ({@link #serial}); on arm64 the
     * {@code virt} board has one PL011 UART (ttyAMA0, the console), so the results go to a virtio console (hvc0 in
     * the guest: CONFIG_VIRTIO_CONSOLE and CONFIG_VIRTIO_PCI are built into Debian's arm64 kernels).
     */
    public static List<String> channels(Arch arch, Path consoleLog, Path resultsLog) {
        return switch (arch) {
            case X86_64 -> serial(consoleLog, resultsLog);
            case ARM64 -> List.of(
                    "-chardev", "file,id=con,path=" + optionValue(consoleLog.toString()),
                    "-serial", "chardev:con",
                    "-device", "virtio-serial-pci",
                    "-chardev", "file,id=res,path=" + optionValue(resultsLog.toString()),
                    "-device", "virtconsole,chardev=res");
        };
    }

    /** ttyS0 -> console log, ttyS1 -> results file; two file chardevs, nothing through QEMU's stdio. */
    public static List<String> serial(Path consoleLog, Path resultsLog) {
        return List.of(
                "-chardev", "file,id=con,path=" + optionValue(consoleLog.toString()),
                "-serial", "chardev:con",
                "-chardev", "file,id=res,path=" + optionValue(resultsLog.toString()),
                "-serial", "chardev:res");
    }

    /** No display, monitor, default devices or network: the guest talks only through the two serials. */
    public static List<String> headless() {
        return List.of("-display", "none", "-monitor", "none", "-nodefaults", "-nic", "none");
    }

    /** A guest reboot (panic=-1, triple fault) ends QEMU instead of looping. */
    public static List<String> noReboot() {
        return List.of("-no-reboot");
    }

    public static List<String> pidfile(Path pidfile) {
        return List.of("-pidfile", pidfile.toString());
    }

    /** Kernel command line for a spec: the base tokens for its memory, then its extras. */
    public static String append(VmSpec spec) {
        List<String> t = new ArrayList<>(KernelCmdline.base(spec.arch(), spec.pageKiB(), spec.memoryMiB()));
        t.addAll(spec.cmdlineExtras());
        return KernelCmdline.join(t);
    }

    /** The whole argv, starting with the QEMU binary as given in the spec. */
    public static List<String> build(VmSpec spec) {
        List<String> a = new ArrayList<>();
        a.add(spec.qemu());
        a.addAll(accel(spec.accel()));
        a.addAll(machine(spec.arch()));
        a.addAll(cpu(spec.accel()));
        a.addAll(memory(spec.memoryMiB()));
        a.addAll(smp(spec.cpus()));
        a.addAll(kernel(spec.kernel(), spec.initramfs(), append(spec)));
        a.addAll(channels(spec.arch(), spec.consoleLog(), spec.resultsLog()));
        a.addAll(headless());
        a.addAll(noReboot());
        return List.copyOf(a);
    }

    /** {@link #build} plus a pidfile. */
    public static List<String> build(VmSpec spec, Path pidfile) {
        List<String> a = new ArrayList<>(build(spec));
        a.addAll(pidfile(pidfile));
        return List.copyOf(a);
    }

    /** QEMU option values escape a comma by doubling it ("a,b" would start a new key). */
    static String optionValue(String v) {
        return v.replace(",", ",,");
    }
}
