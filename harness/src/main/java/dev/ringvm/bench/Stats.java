package dev.ringvm.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Min, median and max of a sample of seconds (median of an even count: mean of the middle two).
 *
 * @param n the sample size
 */
public record Stats(int n, double min, double median, double max) {

    public static Stats of(List<Double> seconds) {
        if (seconds.isEmpty()) throw new IllegalArgumentException("no samples");
        List<Double> s = new ArrayList<>(seconds);
        Collections.sort(s);
        int k = s.size();
        double median = k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
        return new Stats(k, s.getFirst(), median, s.getLast());
    }

    /** {@code min 3.08 s  median 3.24 s  max 4.49 s} with the given decimals. */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, "min " + f + " s  median " + f + " s  max " + f + " s", min, median, max);
    }
}
