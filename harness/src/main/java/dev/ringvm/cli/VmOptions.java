package dev.ringvm.cli;

import dev.ringvm.vm.AccelDetector;
import picocli.CommandLine.Option;

/** Options every command that boots VMs shares (a picocli mixin): the accelerator and the QEMU binary. */
final class VmOptions {

    @Option(names = "--accel", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (KVM when it works, else TCG), kvm or tcg (default: ${DEFAULT-VALUE}).")
    AccelDetector.Mode accel;

    @Option(names = "--qemu", paramLabel = "BINARY", defaultValue = "qemu-system-x86_64",
            description = "QEMU binary, a name on PATH or a path (default: ${DEFAULT-VALUE}).")
    String qemu;
}
