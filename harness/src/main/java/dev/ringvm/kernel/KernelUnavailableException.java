package dev.ringvm.kernel;

/** A kernel could not be obtained; the message is one line naming the kernel id and the reason. */
public final class KernelUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;
    public KernelUnavailableException(String message) { super(message); }
    public KernelUnavailableException(String message, Throwable cause) { super(message, cause); }
}
