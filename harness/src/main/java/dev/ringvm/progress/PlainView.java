package dev.ringvm.progress;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.InstantSource;

/** Timestamped lines: every log message, and a line per stage change ({@link StageLines}). */
final class PlainView implements ProgressView {
    private final PrintWriter out;
    private final InstantSource clock;
    private final Instant t0;
    private final StageLines lines = new StageLines();

    PlainView(PrintWriter out, InstantSource clock) {
        this.out = out;
        this.clock = clock;
        this.t0 = clock.instant();
    }

    @Override
    public synchronized void log(String line) {
        out.write(ProgressView.stamp(t0, clock.instant()) + line + "\n");
        out.flush();
    }

    @Override
    public synchronized void progress(ProgressEvent event) {
        String line = lines.lineFor(event);
        if (line != null) log(line);
    }

    @Override
    public synchronized void close() {
        out.flush();
    }
}
