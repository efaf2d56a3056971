package dev.ringvm.config;

/** A user error in kernels.yaml or an option value; the message is one line naming the file and field. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    public ConfigException(String message) { super(message); }
    public ConfigException(String message, Throwable cause) { super(message, cause); }
}
