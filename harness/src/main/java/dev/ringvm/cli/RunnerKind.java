package dev.ringvm.cli;

import dev.ringvm.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * How VMs are booted: {@code --runner qemu} (default, QEMU on the host with the guest image), {@code container}
 * (the same QEMU in a local docker image) or {@code vng} (virtme-ng over the host's root filesystem).
 */
enum RunnerKind {
    QEMU,
    CONTAINER,
    VNG;

    /** The option value: the constant's name in lower case. */
    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code --runner}; an unknown value is one line naming the option, the value and the choices. */
    static RunnerKind parse(String value) throws ConfigException {
        for (RunnerKind k : values()) {
            if (k.optionValue().equals(value.strip().toLowerCase(Locale.ROOT))) return k;
        }
        throw new ConfigException("--runner: expected " + choices() + ", got \"" + value + "\"");
    }

    /** {@code qemu or container}; with more kinds {@code a, b or c}. */
    static String choices() {
        var names = Arrays.stream(values()).map(RunnerKind::optionValue).toList();
        return names.size() == 1 ? names.getFirst() : String.join(", ", names.subList(0, names.size() - 1))
                + " or " + names.getLast();
    }
}
