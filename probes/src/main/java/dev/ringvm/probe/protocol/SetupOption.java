package dev.ringvm.probe.protocol;

import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;

/** io_uring_setup flags a case adds to IORING_SETUP_NO_MMAP (and CQSIZE), by their wire names. */
public enum SetupOption {
    /** IORING_SETUP_SQE128 (5.19): 128-byte SQEs. */
    SQE128("sqe128"),
    /** IORING_SETUP_CQE32 (5.19): 32-byte CQEs. */
    CQE32("cqe32"),
    /** IORING_SETUP_NO_SQARRAY (6.6): no SQ index array; liburing tries it first. */
    NO_SQARRAY("nosqarray"),
    /** IORING_SETUP_REGISTERED_FD_ONLY (6.5, needs NO_MMAP): the ring is only reachable by its registered index. */
    REGISTERED_FD_ONLY("regfd");

    private final String id;

    SetupOption(String id) { this.id = id; }

    public String id() { return id; }

    /** {@code sqe128+cqe32}, in declaration order; empty for none. */
    public static String wire(Set<SetupOption> options) {
        StringJoiner j = new StringJoiner("+");
        for (SetupOption o : values()) {
            if (options.contains(o)) j.add(o.id);
        }
        return j.toString();
    }

    /** The options a {@link #wire} text names; IllegalArgumentException for an unknown one. */
    public static Set<SetupOption> ofWire(String text) {
        EnumSet<SetupOption> out = EnumSet.noneOf(SetupOption.class);
        if (text == null || text.isEmpty()) return Set.copyOf(out);
        for (String part : text.split("\\+", -1)) out.add(WireNames.byId(values(), SetupOption::id, part, "setup option"));
        return Set.copyOf(out);
    }
}
