package dev.ringvm.vm;

import java.io.IOException;

/** The QEMU binary is not installed: an infrastructure failure (CLI exit code 3). */
final class QemuNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;
    public QemuNotFoundException(String binary) {
        super(binary + " not found on PATH (install qemu-system-x86)");
    }
}
