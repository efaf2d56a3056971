package dev.ringvm.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for something another thread or process does: poll a condition until it holds or a deadline passes. */
public final class Poll {
    /** How long to park between two looks: short against the deadlines, long enough not to hog a core. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Poll() {}

    /**
     * Returns as soon as {@code condition} holds; fails with {@code what} (computed then, so it can show the state)
     * when it still does not after {@code limit}.
     */
    public static void until(Duration limit, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what.get());
            }
            LockSupport.parkNanos(PAUSE_NANOS);
            if (Thread.interrupted()) throw new InterruptedException("waiting for " + what.get());
        }
    }
}
