package dev.ringvm.probe.protocol;

import java.util.List;

/** The names of the probe's case lists, as the kernel command line and the header's {@code grid} carry them. */
public final class GridNames {
    private GridNames() {}

    /** What liburing users send, every slot of every ring. */
    public static final String DEFAULT = "default";
    /** ringvm 0.1's 75 cases: separate regions, no flags. */
    public static final String V1 = "v1";
    public static final List<String> ALL = List.of(DEFAULT, V1);
}
