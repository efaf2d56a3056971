package dev.ringvm.cli;

/**
 * How VMs are booted: {@code --runner qemu} (default, QEMU on the host with the guest image), {@code container}
 * (the same QEMU in a local docker image) or {@code vng} (virtme-ng over the host's root filesystem). picocli
 * converts the option, in any case.
 */
enum RunnerKind {
    QEMU,
    CONTAINER,
    VNG
}
