package dev.ringvm.vm;

/**
 * The accelerator to use and why.
 *
 * @param accel KVM or TCG
 * @param reason one line: why (forced, /dev/kvm missing, test boot result, quoting QEMU's message)
 * @param cached true when the answer came from the per-host cache file instead of a test boot
 */
public record AccelChoice(Accel accel, String reason, boolean cached) {}
