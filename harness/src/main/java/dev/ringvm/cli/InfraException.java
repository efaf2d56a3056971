package dev.ringvm.cli;

/** The machine cannot run the matrix (no QEMU, no busybox, guest image build failed): exit 3. */
final class InfraException extends Exception {
    private static final long serialVersionUID = 1L;
    InfraException(String message, Throwable cause) { super(message, cause); }
    InfraException(String message) { super(message); }
}
