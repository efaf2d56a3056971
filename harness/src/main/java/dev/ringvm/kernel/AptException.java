package dev.ringvm.kernel;

/** The private apt repository could not answer; the message is one line naming the suite. */
public final class AptException extends Exception {
    private static final long serialVersionUID = 1L;
    public AptException(String message) { super(message); }
    public AptException(String message, Throwable cause) { super(message, cause); }
}
