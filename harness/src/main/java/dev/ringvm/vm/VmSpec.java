package dev.ringvm.vm;

import dev.ringvm.config.Arch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One VM run. Build with {@link #of} (defaults below) and the {@code with*} copies.
 *
 * @param qemu QEMU binary: a bare name is looked up on PATH; default {@value #DEFAULT_QEMU}
 * @param kernel bzImage / vmlinuz to boot
 * @param initramfs initrd passed with -initrd
 * @param memoryMiB guest memory; default 512
 * @param cpus vCPUs; default 1
 * @param accel KVM or TCG; default TCG (use AccelDetector to pick)
 * @param cmdlineExtras kernel command line tokens after the base ones (probe nonce, grid, ...)
 * @param consoleLog file receiving ttyS0 (kernel messages and /init output)
 * @param resultsLog file receiving ttyS1 (probe records)
 * @param timeout the watchdog kills QEMU after this; default 5 minutes
 * @param arch the guest architecture: machine, CPU, console and results devices follow it; default x86-64
 * @param pageKiB the kernel's base page size in KiB (the huge pages reserved at boot follow it); default 4
 */
public record VmSpec(
        String qemu,
        Path kernel,
        Path initramfs,
        int memoryMiB,
        int cpus,
        Accel accel,
        List<String> cmdlineExtras,
        Path consoleLog,
        Path resultsLog,
        Duration timeout,
        Arch arch,
        int pageKiB) {
    public static final String DEFAULT_QEMU = "qemu-system-x86_64";
    public static final int DEFAULT_MEMORY_MIB = 512;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public VmSpec {
        Objects.requireNonNull(qemu, "qemu");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initramfs, "initramfs");
        Objects.requireNonNull(accel, "accel");
        Objects.requireNonNull(consoleLog, "consoleLog");
        Objects.requireNonNull(resultsLog, "resultsLog");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(arch, "arch");
        if (pageKiB != 4 && pageKiB != 16 && pageKiB != 64) {
            throw new IllegalArgumentException("pageKiB must be 4, 16 or 64: " + pageKiB);
        }
        cmdlineExtras = List.copyOf(cmdlineExtras);
        // below 128 MiB the kernel cannot unpack a JRE-sized initramfs
        if (memoryMiB < 64) {
            throw new IllegalArgumentException("memoryMiB must be >= 64: " + memoryMiB);
        }
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be >= 1: " + cpus);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        // the -append value is one argv element, but a token with whitespace would split in the kernel
        for (String t : cmdlineExtras) {
            if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("kernel command line token is empty or has whitespace: '" + t + "'");
            }
        }
    }

    /** An x86-64 spec with 4 KiB pages. */
    public VmSpec(String qemu, Path kernel, Path initramfs, int memoryMiB, int cpus, Accel accel,
                  List<String> cmdlineExtras, Path consoleLog, Path resultsLog, Duration timeout) {
        this(qemu, kernel, initramfs, memoryMiB, cpus, accel, cmdlineExtras, consoleLog, resultsLog, timeout,
                Arch.X86_64, 4);
    }

    public static VmSpec of(Path kernel, Path initramfs, Path consoleLog, Path resultsLog) {
        return new VmSpec(DEFAULT_QEMU, kernel, initramfs, DEFAULT_MEMORY_MIB, 1, Accel.TCG, List.of(),
                consoleLog, resultsLog, DEFAULT_TIMEOUT);
    }

    /**
     * A guest of {@code arch} whose kernel has {@code pageKiB} pages; the QEMU binary becomes the architecture's
     * ({@link Arch#qemu()}) unless one was set with {@link #withQemu} after this.
     */
    public VmSpec withGuest(Arch a, int page) {
        return new VmSpec(a == arch ? qemu : a.qemu(), kernel, initramfs, memoryMiB, cpus, accel, cmdlineExtras,
                consoleLog, resultsLog, timeout, a, page);
    }

    public VmSpec withQemu(String v) {
        return new VmSpec(v, kernel, initramfs, memoryMiB, cpus, accel, cmdlineExtras, consoleLog, resultsLog, timeout, arch, pageKiB);
    }

    public VmSpec withMemoryMiB(int v) {
        return new VmSpec(qemu, kernel, initramfs, v, cpus, accel, cmdlineExtras, consoleLog, resultsLog, timeout, arch, pageKiB);
    }

    public VmSpec withCpus(int v) {
        return new VmSpec(qemu, kernel, initramfs, memoryMiB, v, accel, cmdlineExtras, consoleLog, resultsLog, timeout, arch, pageKiB);
    }

    public VmSpec withAccel(Accel v) {
        return new VmSpec(qemu, kernel, initramfs, memoryMiB, cpus, v, cmdlineExtras, consoleLog, resultsLog, timeout, arch, pageKiB);
    }

    public VmSpec withCmdlineExtras(List<String> v) {
        return new VmSpec(qemu, kernel, initramfs, memoryMiB, cpus, accel, v, consoleLog, resultsLog, timeout, arch, pageKiB);
    }

    public VmSpec withTimeout(Duration v) {
        return new VmSpec(qemu, kernel, initramfs, memoryMiB, cpus, accel, cmdlineExtras, consoleLog, resultsLog, v, arch, pageKiB);
    }
}
