package dev.ringvm.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --shard I/N}, 1 <= I <= N. */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need 1 <= I <= N");
        }
    }

    /** Parses {@code I/N}; IllegalArgumentException with a one-line message otherwise. */
    public static Shard parse(String text) {
        Matcher m = Pattern.compile("(\\d{1,6})/(\\d{1,6})").matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("expected I/N with 1 <= I <= N, got \"" + text + "\"");
        int i = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        if (n < 1 || i < 1 || i > n) {
            throw new IllegalArgumentException("expected I/N with 1 <= I <= N, got \"" + text + "\"");
        }
        return new Shard(i, n);
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
