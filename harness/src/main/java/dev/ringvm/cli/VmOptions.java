package dev.ringvm.cli;

import dev.ringvm.vm.AccelDetector;
import picocli.CommandLine.Option;

/** Options every command that boots VMs shares (a picocli mixin): the accelerator and the QEMU binary. */
final class VmOptions {

    @Option(names = "--accel", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (KVM when it works, else TCG), kvm or tcg (default: ${DEFAULT-VALUE}).")
    AccelDetector.Mode accel;

    @Option(names = "--qemu", paramLabel = "BINARY", defaultValue = "qemu-system-x86_64",
            description = "QEMU binary for x86-64 guests, a name on PATH or a path (default: ${DEFAULT-VALUE}).")
    String qemu;

    @Option(names = "--qemu-arm64", paramLabel = "BINARY", defaultValue = "qemu-system-aarch64",
            description = "QEMU binary for arm64 guests (kernels.yaml arch: arm64) (default: ${DEFAULT-VALUE}).")
    String qemuArm64;

    /** The QEMU binary for guests of {@code arch}. */
    String qemuFor(dev.ringvm.config.Arch arch) {
        return switch (arch) {
            case X86_64 -> qemu;
            case ARM64 -> qemuArm64;
        };
    }
}
