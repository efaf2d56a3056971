package dev.ringvm.model;

/**
 * A kernel message in a console log that means something went wrong.
 *
 * @param line    1-based line number in console.log
 * @param text    the matching line, stripped
 * @param excerpt the lines around it (a few before, the trace after)
 */
public record Finding(Kind kind, int line, String text, String excerpt) {
    public enum Kind {
        PANIC("kernel panic"), OOPS("Oops"), BUG("kernel BUG"), WARNING("WARNING with call trace"),
        KASAN("KASAN report"), UBSAN("UBSAN report"), SOFT_LOCKUP("soft lockup"), HARD_LOCKUP("hard lockup"),
        RCU_STALL("RCU stall"), HUNG_TASK("hung task");

        public final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    public String summary() {
        return kind.title + " at console.log:" + line + ": " + text;
    }
}
