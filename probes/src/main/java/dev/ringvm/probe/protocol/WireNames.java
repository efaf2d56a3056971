package dev.ringvm.probe.protocol;

import java.util.function.Function;

/** The one lookup of an enum constant by the name it has on the wire. */
final class WireNames {
    private WireNames() {}

    /** The constant of {@code values} whose wire name is {@code text}; IllegalArgumentException naming {@code what}. */
    static <E extends Enum<E>> E byId(E[] values, Function<E, String> id, String text, String what) {
        for (E e : values) {
            if (id.apply(e).equals(text)) return e;
        }
        throw new IllegalArgumentException("unknown " + what + " \"" + text + "\"");
    }
}
