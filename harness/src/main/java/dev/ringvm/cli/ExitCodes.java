package dev.ringvm.cli;

import dev.ringvm.config.ConfigException;

/** DESIGN.md exit codes and the mapping from exceptions that escape a command. */
final class ExitCodes {
    static final int OK = 0;
    static final int UNEXPECTED = 1;
    static final int USAGE = 2;
    static final int INFRA = 3;
    static final int INTERNAL = 4;

    private ExitCodes() {}

    static int forException(Throwable t) {
        return switch (t) {
            case ConfigException c -> USAGE;
            case InfraException i -> INFRA;
            default -> INTERNAL;
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
