package dev.ringvm.vm;

/** How QEMU runs guest code: hardware virtualization or the TCG emulator. */
public enum Accel {
    KVM,
    TCG
}
