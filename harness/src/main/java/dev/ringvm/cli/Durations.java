package dev.ringvm.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --timeout} values: {@code 300}, {@code 300s}, {@code 5m}, {@code 1h30m}, {@code 1500ms}; positive and at
 * most {@link #MAX} (a longer one would overflow the deadlines computed from it, and means no deadline anyway).
 */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d{1,18})(ms|s|m|h)");
    /** The longest timeout: a week. */
    static final Duration MAX = Duration.ofDays(7);

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String v = value.trim();
        if (v.matches("\\d+")) {
            if (v.length() > 18) throw tooLong(value);
            return positive(Duration.ofSeconds(Long.parseLong(v)), value);
        }
        Matcher m = PART.matcher(v);
        Duration d = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            try {
                d = d.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
            } catch (ArithmeticException e) {
                throw tooLong(value);
            }
            at = m.end();
        }
        if (at != v.length() || at == 0) {
            throw new CommandLine.TypeConversionException("'" + Messages.clip(value) + "' is not a duration (examples: 300, 300s, 5m)");
        }
        return positive(d, value);
    }

    private static Duration positive(Duration d, String value) {
        if (d.isZero()) throw new CommandLine.TypeConversionException("duration '" + value + "' must be positive");
        if (d.compareTo(MAX) > 0) throw tooLong(value);
        return d;
    }

    private static CommandLine.TypeConversionException tooLong(String value) {
        return new CommandLine.TypeConversionException("duration '" + Messages.clip(value) + "' is too long (at most "
                + MAX.toHours() + "h)");
    }
}
