package dev.ringvm.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The lines of the live region for one snapshot: one per running task, then the overall line. Pure. */
final class LiveFrame {
    private LiveFrame() {}

    /**
     * @param width    terminal columns; every line is cut to it (the region must never wrap, or the cursor
     *                 arithmetic that redraws it in place would be off)
     * @param maxLines at most this many lines (at least 2); surplus tasks fold into "... and k more"
     */
    static List<String> render(ProgressModel.Snapshot s, Instant now, int width, int maxLines) {
        List<ProgressModel.Entry> shown = s.running();
        int fold = 0;
        int room = Math.max(2, maxLines) - 1; // the overall line always shows
        if (shown.size() > room) {
            fold = shown.size() - (room - 1);
            shown = shown.subList(0, room - 1);
        }
        int kw = 0;
        int mw = 0;
        int sw = 0;
        for (ProgressModel.Entry e : shown) {
            kw = Math.max(kw, e.task().kernel().length());
            mw = Math.max(mw, e.task().memoryColumn().length());
            sw = Math.max(sw, stage(e).length());
        }
        List<String> lines = new ArrayList<>();
        for (ProgressModel.Entry e : shown) {
            String line = "  " + pad(e.task().kernel(), kw) + "  " + (mw == 0 ? "" : pad(e.task().memoryColumn(), mw) + "  ")
                    + pad(stage(e), sw) + "  " + String.format("%7s", elapsed(Duration.between(e.started(), now)));
            lines.add(cut(line, width));
        }
        if (fold > 0) lines.add(cut("  ... and " + fold + " more", width));
        lines.add(cut(overall(s, now), width));
        return lines;
    }

    /** {@code done 3/8 VMs, elapsed 1m12s, ETA 40s}; before the matrix is planned {@code preparing, elapsed 4.1s}. */
    static String overall(ProgressModel.Snapshot s, Instant now) {
        String elapsed = elapsed(Duration.between(s.runStarted(), now));
        if (s.planned() < 0) return "preparing, elapsed " + elapsed;
        return "done " + s.done() + "/" + s.planned() + " VMs, elapsed " + elapsed + ", ETA "
                + s.eta(now).map(LiveFrame::eta).orElse("--");
    }

    static String stage(ProgressModel.Entry e) {
        if (e.stage() != Stage.PROBING) return e.stage().label();
        if (e.caseNo() <= 0) return "probing" + (e.cases() >= 0 ? ", " + e.cases() + " cases" : "");
        return "probing case " + e.caseNo() + (e.cases() >= 0 ? " of " + e.cases() : "");
    }

    /** {@code 4.2s} under a minute, {@code 3m07s} under an hour, else {@code 1h02m}. */
    static String elapsed(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) return String.format("%.1fs", ms / 1000.0);
        long s = ms / 1000;
        if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
        return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }

    /** Whole seconds, rounded up (an ETA of 0.3 s says 1s, not 0s). */
    static String eta(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        if (s < 60) return s + "s";
        if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
        return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }

    static String cut(String line, int width) {
        return width > 0 && line.length() > width ? line.substring(0, width) : line;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
