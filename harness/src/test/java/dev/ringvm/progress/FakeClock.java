package dev.ringvm.progress;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock tests move by hand, so no test sleeps to see time pass. */
final class FakeClock implements InstantSource {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private volatile Instant now = T0;

    @Override
    public Instant instant() {
        return now;
    }

    FakeClock at(double seconds) {
        now = T0.plusMillis(Math.round(seconds * 1000));
        return this;
    }

    FakeClock advance(Duration d) {
        now = now.plus(d);
        return this;
    }
}
