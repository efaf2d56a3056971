package dev.ringvm.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The one writer of stderr during a run: timestamped log lines and progress. {@link #plain} writes a line per log
 * message and per stage change (CI logs); {@link #tty} adds a live region below the log lines. Every method may
 * be called from any thread; one lock orders all output, so no line is ever torn.
 */
public interface ProgressView extends ProgressListener, AutoCloseable {

    /** A message line ({@code [  12.3s] message}); on a TTY it goes above the live region. */
    void log(String line);

    /** Ends the live region (erased, cursor shown); later log lines are plain. Idempotent. */
    @Override
    void close();

    static ProgressView plain(PrintWriter out, InstantSource clock) {
        return new PlainView(out, clock);
    }

    /** A live view that redraws itself at most 5 times a second and cleans up on Ctrl-C (a shutdown hook). */
    static ProgressView tty(PrintWriter out, InstantSource clock, int width, int maxLines) {
        return new TtyView(out, clock, width, maxLines).start();
    }

    /** The view {@code mode} stands for on this process's stderr ({@link Terminal} decides {@code auto}). */
    static ProgressView open(Terminal.Mode mode, PrintWriter err) {
        InstantSource clock = InstantSource.system();
        return switch (mode) {
            case PLAIN -> plain(err, clock);
            case TTY -> {
                Terminal.Size size = Terminal.size(System.getenv());
                yield tty(err, clock, size.columns(), Math.min(size.rows() - 1, 24));
            }
        };
    }

    /** {@code [  12.3s] } since {@code t0}: the prefix of every log line, plain or live. */
    static String stamp(Instant t0, Instant now) {
        return String.format("[%6.1fs] ", Duration.between(t0, now).toMillis() / 1000.0);
    }
}
