package dev.ringvm.progress;

import java.util.function.Consumer;

/** Receives progress events; implementations must accept calls from any thread. */
@FunctionalInterface
public interface ProgressListener {

    void progress(ProgressEvent event);

    /** Ignores everything. */
    ProgressListener NONE = e -> { };

    /** The plain stage-change lines ({@link StageLines}) handed to {@code log}, one call per line. */
    static ProgressListener lines(Consumer<String> log) {
        StageLines lines = new StageLines();
        return e -> {
            String line;
            synchronized (lines) {
                line = lines.lineFor(e);
            }
            if (line != null) log.accept(line);
        };
    }
}
