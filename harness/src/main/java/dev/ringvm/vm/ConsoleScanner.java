package dev.ringvm.vm;

import dev.ringvm.model.ConsoleFacts;
import dev.ringvm.model.Finding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds panics, oopses, BUGs, WARNINGs with a call trace, KASAN/UBSAN reports, lockups, RCU stalls and hung
 * tasks in a serial console log. One finding per report: lines inside an already found report's trace are not
 * reported again (an Oops after "BUG: kernel NULL pointer dereference" is the same event).
 */
public final class ConsoleScanner {
    private static final int BEFORE = 3;
    private static final int AFTER = 30;
    /** A WARNING without "Call Trace:" this close after it is not a WARN() splat (e.g. a driver's text). */
    private static final int TRACE_WINDOW = 40;

    private record Rule(Finding.Kind kind, Pattern pattern) {}

    // order matters: the first rule that matches a line decides its kind
    private static final List<Rule> RULES = List.of(
            new Rule(Finding.Kind.PANIC, Pattern.compile("Kernel panic - not syncing")),
            new Rule(Finding.Kind.KASAN, Pattern.compile("BUG: KASAN: |KASAN: .*(out-of-bounds|use-after-free)")),
            new Rule(Finding.Kind.UBSAN, Pattern.compile("UBSAN: ")),
            new Rule(Finding.Kind.SOFT_LOCKUP, Pattern.compile("BUG: soft lockup")),
            new Rule(Finding.Kind.HARD_LOCKUP, Pattern.compile("(?i)hard LOCKUP")),
            new Rule(Finding.Kind.RCU_STALL, Pattern.compile("rcu: INFO: .*(detected stalls?|self-detected stall)|rcu_(sched|preempt) detected stalls")),
            new Rule(Finding.Kind.HUNG_TASK, Pattern.compile("INFO: task .* blocked for more than \\d+ seconds")),
            new Rule(Finding.Kind.BUG, Pattern.compile("kernel BUG at |BUG: (unable to handle|kernel NULL pointer|Bad page|scheduling while atomic|sleeping function|workqueue lockup|Bad rss)")),
            new Rule(Finding.Kind.OOPS, Pattern.compile("Oops: |Oops\\[")),
            new Rule(Finding.Kind.WARNING, Pattern.compile("WARNING: CPU: \\d+ PID: \\d+ at ")));

    private ConsoleScanner() {}

    /** How many of the log's last lines {@link ConsoleFacts#tail()} keeps. */
    static final int TAIL = 15;
    private static final Pattern INIT_AT = Pattern.compile("ringvm: init at ([0-9.]+)s");

    /** Everything the verdicts and reports need from a console log, read once; NONE when there is no log. */
    public static ConsoleFacts facts(Path console) {
        if (console == null || !Files.exists(console)) return ConsoleFacts.NONE;
        try {
            // ISO-8859-1: every byte decodes, serial garbage after a crash cannot make reading fail
            return facts(Files.readAllLines(console, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return ConsoleFacts.NONE;
        }
    }

    public static ConsoleFacts facts(List<String> lines) {
        StringBuilder tail = new StringBuilder();
        for (String l : lines.subList(Math.max(0, lines.size() - TAIL), lines.size())) tail.append(clean(l)).append('\n');
        return new ConsoleFacts(scan(lines), bootSeconds(lines), tail.toString());
    }

    /** Seconds from kernel start to the init script (the guest's boot time), null when not in the log. */
    static Double bootSeconds(List<String> lines) {
        for (String l : lines) {
            Matcher m = INIT_AT.matcher(l);
            if (m.find()) {
                try {
                    return Double.parseDouble(m.group(1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    public static List<Finding> scan(List<String> lines) {
        List<Finding> out = new ArrayList<>();
        int coveredUntil = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (i <= coveredUntil) continue;
            String l = lines.get(i);
            if (l.contains("---[ end ")) continue; // the closing marker repeats the panic message
            for (Rule r : RULES) {
                if (!r.pattern.matcher(l).find()) continue;
                if (r.kind == Finding.Kind.WARNING && !traceFollows(lines, i)) break;
                int end = reportEnd(lines, i);
                out.add(new Finding(r.kind, i + 1, clean(l), excerpt(lines, i, end)));
                // a panic can follow the trace it belongs to; keep it as its own finding only when it is later
                coveredUntil = r.kind == Finding.Kind.PANIC ? i : end;
                break;
            }
        }
        return List.copyOf(out);
    }

    private static boolean traceFollows(List<String> lines, int i) {
        for (int j = i + 1; j < Math.min(lines.size(), i + TRACE_WINDOW); j++) {
            if (lines.get(j).contains("Call Trace:")) return true;
        }
        return false;
    }

    /** The last line of the report that starts at {@code i}: its "---[ end trace" marker, else a window. */
    private static int reportEnd(List<String> lines, int i) {
        for (int j = i + 1; j < Math.min(lines.size(), i + 120); j++) {
            String l = lines.get(j);
            if (l.contains("---[ end trace") || l.contains("---[ end Kernel panic")) return j;
            if (PANIC_LINE.matcher(l).find()) return j - 1;
        }
        return Math.min(lines.size() - 1, i + AFTER);
    }

    private static final Pattern PANIC_LINE = Pattern.compile("Kernel panic - not syncing");

    static String excerpt(List<String> lines, int i, int end) {
        int from = Math.max(0, i - BEFORE);
        int to = Math.min(lines.size() - 1, Math.min(end, i + AFTER));
        StringBuilder b = new StringBuilder();
        for (int j = from; j <= to; j++) b.append(clean(lines.get(j))).append('\n');
        return b.toString();
    }

    /** Control characters (serial noise, \r) removed. */
    public static String clean(String s) {
        return s.replaceAll("[\\p{Cntrl}&&[^\t]]", "").strip();
    }

    /** Taint flag letters of /proc/sys/kernel/tainted, as the kernel prints them ("G W" style, only set bits). */
    public static String taintLetters(long mask) {
        String letters = "PFSRMBUDAWCIOELKXTN";
        StringBuilder b = new StringBuilder();
        for (int bit = 0; bit < letters.length(); bit++) if ((mask & (1L << bit)) != 0) b.append(letters.charAt(bit));
        return b.isEmpty() ? "none" : b.toString();
    }
}
