package dev.ringvm.progress;

import java.util.HashSet;
import java.util.Set;

/**
 * The plain (CI log) form of progress: one line per stage change, never per case: "probing" once per task with
 * the case count, then the task's summary when it finishes. Not thread-safe; callers hold their own lock.
 */
final class StageLines {
    /** Tasks whose "probing" line was written: later case numbers stay quiet. */
    private final Set<String> probing = new HashSet<>();

    /** The line for {@code e}, or null when it is not a stage change worth a line. */
    String lineFor(ProgressEvent e) {
        return switch (e) {
            case ProgressEvent.Planned p -> null;
            case ProgressEvent.StageChanged s ->
                    s.task().id() + ": " + s.stage().label() + (s.detail().isEmpty() ? "" : " " + s.detail());
            case ProgressEvent.Probing p -> probing.add(p.task().id())
                    ? p.task().id() + ": probing" + (p.cases() >= 0 ? " " + p.cases() + " cases" : "")
                    : null;
            case ProgressEvent.Finished f -> {
                probing.remove(f.task().id());
                yield f.task().id() + ": " + f.summary();
            }
            case ProgressEvent.Dropped d -> {
                probing.remove(d.task().id());
                yield null;
            }
        };
    }
}
