package dev.ringvm.container;

/** The container runner cannot work on this machine (docker unreachable, debootstrap missing, image build failed). */
public final class ContainerException extends Exception {
    private static final long serialVersionUID = 1L;
    public ContainerException(String message) { super(message); }
    public ContainerException(String message, Throwable cause) { super(message, cause); }
}
