package dev.ringvm.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * A live region at the bottom of the terminal: one line per running task and an overall line, redrawn in place
 * (cursor up, overwrite, clear to end of screen) at most every {@link #FRAME}. Log lines go above it: the region
 * is overwritten by the line and drawn again below it in the same write, so nothing is torn or duplicated.
 *
 * <p>Why the cursor arithmetic holds: after every write the cursor is at column 0 of the line below the region,
 * and the region is exactly {@code shown.size()} rows, because its lines are cut to the width and written with
 * auto-wrap off (so even a terminal narrower than we think clips instead of wrapping). Log lines are written
 * with auto-wrap on and may wrap: they are above the region and never redrawn.
 */
final class TtyView implements ProgressView {
    static final Duration FRAME = Duration.ofMillis(200);

    static final String CSI = "\u001b[";
    static final String HIDE_CURSOR = CSI + "?25l";
    static final String SHOW_CURSOR = CSI + "?25h";
    static final String WRAP_OFF = CSI + "?7l";
    static final String WRAP_ON = CSI + "?7h";
    static final String CLEAR_LINE_END = CSI + "K";
    static final String CLEAR_SCREEN_END = CSI + "J";

    private final PrintWriter out;
    private final InstantSource clock;
    private final int width;
    private final int maxLines;
    private final Instant t0;
    private final ProgressModel model;
    /** The region lines on screen now; log lines redraw exactly these, ticks replace them. */
    private List<String> shown = List.of();
    private boolean cursorHidden;
    private boolean closed;
    private Thread ticker;
    private Thread hook;

    TtyView(PrintWriter out, InstantSource clock, int width, int maxLines) {
        this.out = out;
        this.clock = clock;
        this.width = width;
        this.maxLines = maxLines;
        this.t0 = clock.instant();
        this.model = new ProgressModel(t0);
    }

    /** Starts the redraw thread and the shutdown hook that leaves the terminal clean on Ctrl-C. */
    TtyView start() {
        hook = Thread.ofPlatform().name("ringvm-progress-close").unstarted(this::close);
        Runtime.getRuntime().addShutdownHook(hook);
        ticker = Thread.ofPlatform().daemon().name("ringvm-progress").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    tick();
                    Thread.sleep(FRAME);
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
        return this;
    }

    @Override
    public synchronized void log(String line) {
        writeLine(ProgressView.stamp(t0, clock.instant()) + line, false);
    }

    @Override
    public void progress(ProgressEvent event) {
        if (event instanceof ProgressEvent.Finished f) {
            // a finished VM leaves a permanent line (its summary) above the region, drawn without its line
            synchronized (this) {
                Instant now = clock.instant();
                model.apply(event, now);
                writeLine(ProgressView.stamp(t0, now) + f.task().id() + ": " + f.summary(), true);
            }
        } else {
            model.apply(event, clock.instant());
        }
    }

    /** Draws the current state (the redraw thread calls this every {@link #FRAME}; tests call it directly). */
    synchronized void tick() {
        if (closed) return;
        List<String> lines = LiveFrame.render(model.snapshot(), clock.instant(), width, maxLines);
        StringBuilder b = new StringBuilder();
        if (!cursorHidden) {
            b.append(HIDE_CURSOR);
            cursorHidden = true;
        }
        toRegionStart(b);
        region(b, lines);
        shown = lines;
        write(b);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            StringBuilder b = new StringBuilder();
            toRegionStart(b);
            b.append(CLEAR_SCREEN_END);
            if (cursorHidden) b.append(SHOW_CURSOR);
            shown = List.of();
            write(b);
        }
        if (ticker != null && Thread.currentThread() != ticker) ticker.interrupt();
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs close() again, which returns at once
            }
        }
    }

    /** @param fresh draw the region from the model (a stage change) rather than the lines on screen */
    private void writeLine(String stamped, boolean fresh) {
        StringBuilder b = new StringBuilder();
        if (closed) {
            b.append(stamped).append('\n');
        } else {
            toRegionStart(b);
            b.append(stamped).append(CLEAR_LINE_END).append('\n');
            if (fresh && !shown.isEmpty()) shown = LiveFrame.render(model.snapshot(), clock.instant(), width, maxLines);
            region(b, shown);
        }
        write(b);
    }

    private void toRegionStart(StringBuilder b) {
        b.append('\r');
        if (!shown.isEmpty()) b.append(CSI).append(shown.size()).append('A');
    }

    private static void region(StringBuilder b, List<String> lines) {
        if (lines.isEmpty()) {
            b.append(CLEAR_SCREEN_END);
            return;
        }
        b.append(WRAP_OFF);
        for (String l : lines) b.append(l).append(CLEAR_LINE_END).append('\n');
        b.append(CLEAR_SCREEN_END).append(WRAP_ON);
    }

    private void write(StringBuilder b) {
        out.write(b.toString());
        out.flush();
    }
}
