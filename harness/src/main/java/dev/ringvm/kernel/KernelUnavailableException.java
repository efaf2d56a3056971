package dev.ringvm.kernel;

/**
 * A kernel could not be obtained; the message is one line naming the kernel id and the reason. {@link #integrity()}
 * when its bytes failed a check (checksum, image format, kernels.lock pin): such a kernel fails the run whatever the
 * options, an unreachable one only with {@code --require-all}.
 */
public final class KernelUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean integrity;

    public KernelUnavailableException(String message) { this(message, null, false); }
    public KernelUnavailableException(String message, Throwable cause) { this(message, cause, false); }

    public KernelUnavailableException(String message, Throwable cause, boolean integrity) {
        super(message, cause);
        this.integrity = integrity;
    }

    /** An integrity failure: the kernel's bytes are not what they must be. */
    public boolean integrity() { return integrity; }

    static KernelUnavailableException integrity(String message) {
        return new KernelUnavailableException(message, null, true);
    }
}
