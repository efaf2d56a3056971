package dev.ringvm.bench;

import dev.ringvm.model.GuestRun;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One timed boot: wall seconds from QEMU start to its exit, and where the guest spent them, from the init
 * script's console lines and the probe's header/end records (kernel uptime, 10 ms resolution for the JVM start).
 *
 * @param wall         QEMU start to exit, host clock
 * @param initAt       kernel uptime when /init ran
 * @param jvmStartedAt uptime when the probe's JVM process started (header processStartMillis)
 * @param headerAt     uptime when the header record was written (JVM start-up done, FFM linked)
 * @param endAt        uptime when the grid ended (end record)
 * @param exitedAt     uptime when the probe process had exited (init's "probe exited" line)
 */
public record BootSample(double wall, OptionalDouble initAt, OptionalDouble jvmStartedAt, OptionalDouble headerAt,
                         OptionalDouble endAt, OptionalDouble exitedAt) {

    private static final Pattern INIT_AT = Pattern.compile("ringvm: init at ([0-9.]+)s");
    private static final Pattern EXITED_AT = Pattern.compile("ringvm: probe exited rc=-?\\d+ at ([0-9.]+)s");
    private static final Pattern FLOOR_AT = Pattern.compile("ringvm-floor: ([0-9.]+)s");

    /** A busybox-only boot: its init prints {@code ringvm-floor: <uptime>s} before powering off. */
    public static BootSample floor(double wall, String console) {
        OptionalDouble none = OptionalDouble.empty();
        return new BootSample(wall, group(FLOOR_AT, console), none, none, none, none);
    }

    public static BootSample probe(double wall, String console, GuestRun guest) {
        return new BootSample(wall, group(INIT_AT, console),
                millis(guest.header() == null ? null : guest.header().processStartMillis()),
                millis(guest.header() == null ? null : guest.header().uptimeMillis()),
                millis(guest.end() == null ? null : guest.end().uptimeMillis()),
                group(EXITED_AT, console));
    }

    private static OptionalDouble group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    private static OptionalDouble millis(Long n) {
        return n == null ? OptionalDouble.empty() : OptionalDouble.of(n / 1000.0);
    }

    /** Seconds between two instants when both are known. */
    static OptionalDouble between(OptionalDouble from, OptionalDouble to) {
        return from.isPresent() && to.isPresent() ? OptionalDouble.of(to.getAsDouble() - from.getAsDouble())
                : OptionalDouble.empty();
    }

    /** Kernel start to /init. */
    public OptionalDouble toInit() { return initAt; }
    /** /init to the probe's JVM process (busybox sh work, stty). */
    public OptionalDouble initToJvm() { return between(initAt, jvmStartedAt); }
    /** JVM process start to the header: JVM start-up, class loading, the first FFM downcalls. */
    public OptionalDouble jvmStartup() { return between(jvmStartedAt, headerAt); }
    /** The grid itself. */
    public OptionalDouble grid() { return between(headerAt, endAt); }
    /** End record to the probe process gone (JVM exit). */
    public OptionalDouble jvmExit() { return between(endAt, exitedAt); }
    /** Whatever the uptime does not cover: QEMU start, firmware, loading kernel and initramfs, power-off. */
    public OptionalDouble outsideKernel() {
        OptionalDouble last = exitedAt.isPresent() ? exitedAt : initAt;
        return last.isPresent() ? OptionalDouble.of(wall - last.getAsDouble()) : OptionalDouble.empty();
    }
}
