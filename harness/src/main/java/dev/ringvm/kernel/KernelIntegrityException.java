package dev.ringvm.kernel;

import java.io.IOException;

/**
 * The bytes are not what they must be: a checksum that differs from the one expected, a file that is not a kernel
 * image (or not a .deb), a bzImage shorter than its header declares, an image that differs from its kernels.lock pin.
 * Unlike an unreachable server, this fails the run (exit 3) whatever the options: it is not the kernel the user
 * asked to test.
 */
class KernelIntegrityException extends IOException {
    private static final long serialVersionUID = 1L;

    KernelIntegrityException(String message) {
        super(message);
    }

    KernelIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
