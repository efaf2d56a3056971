package dev.ringvm.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line an error message may be: line breaks and control characters become spaces, any quoted value longer
 * than {@link #MAX_VALUE} characters (a 10 MB line of kernels.yaml, a runaway option) is cut with a count of what
 * was left out, and the whole line is cut at {@link #MAX_LINE}.
 */
final class Messages {
    static final int MAX_VALUE = 200;
    static final int MAX_LINE = 1000;
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]{" + (MAX_VALUE + 1) + ",})\"|'([^']{" + (MAX_VALUE + 1) + ",})'");

    private Messages() {}

    /** {@code value} as a message may quote it: at most {@link #MAX_VALUE} characters. */
    static String clip(String value) {
        if (value == null) return "null";
        String v = value.replaceAll("[\\p{Cntrl}]", " ");
        return v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE) + "... (" + (v.length() - MAX_VALUE) + " more characters)";
    }

    /** A whole message, made one bounded line. */
    static String line(String message) {
        if (message == null) return "";
        String s = message.replaceAll("\\s*\\R\\s*", " ").replaceAll("\\p{Cntrl}", " ");
        Matcher m = QUOTED.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            char q = m.group(1) != null ? '"' : '\'';
            String inner = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(b, Matcher.quoteReplacement(q + clip(inner) + q));
        }
        m.appendTail(b);
        s = b.toString();
        return s.length() <= MAX_LINE ? s : s.substring(0, MAX_LINE) + "... (message cut at " + MAX_LINE + " characters)";
    }
}
