package dev.ringvm.cli;

import dev.ringvm.model.ExitCode;
import dev.ringvm.config.ConfigException;

/** The exit code and message for an exception that escapes a command (the codes themselves: {@link ExitCode}). */
final class ExitCodes {
    private ExitCodes() {}

    static int forException(Throwable t) {
        return switch (t) {
            case ConfigException c -> ExitCode.USAGE.code();
            case InfraException i -> ExitCode.INFRA.code();
            default -> ExitCode.INTERNAL.code();
        };
    }

    static String message(Throwable t) {
        return switch (t) {
            case ConfigException c -> c.getMessage();
            case InfraException i -> i.getMessage();
            default -> "internal error: " + t;
        };
    }
}
