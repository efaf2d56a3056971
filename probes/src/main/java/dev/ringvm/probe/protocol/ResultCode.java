package dev.ringvm.probe.protocol;

/**
 * What the NO_MMAP setup step of a case came to. On the wire ({@code result}) it is {@code ok}, the errno name of
 * a failed setup, or the name of a step before setup that failed ({@code ALLOC_FAILED}, {@code PROBE_ERROR}).
 */
public enum ResultCode {
    /** io_uring_setup returned a ring fd. */
    OK,
    /** io_uring_setup failed; the record's {@code errno} says how. */
    SETUP_FAILED,
    /** The backing memory could not be allocated: nothing was tested (the record's {@code allocError} says why). */
    ALLOC_FAILED,
    /** The probe itself failed (an exception in the case): nothing can be said about the kernel. */
    PROBE_ERROR;

    /** The wire value of {@code result} for this code and errno. */
    public String wire(int errno) {
        return switch (this) {
            case OK -> "ok";
            case SETUP_FAILED -> Errno.name(errno);
            case ALLOC_FAILED, PROBE_ERROR -> name();
        };
    }

    /** The code a wire {@code result} value stands for. */
    public static ResultCode ofWire(String result) {
        return switch (result) {
            case "ok" -> OK;
            case "ALLOC_FAILED" -> ALLOC_FAILED;
            case "PROBE_ERROR" -> PROBE_ERROR;
            default -> SETUP_FAILED;
        };
    }
}
