package dev.ringvm.run;

import dev.ringvm.probe.protocol.Begin;
import dev.ringvm.probe.protocol.Header;
import dev.ringvm.probe.protocol.RecordReader;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Follows a results file while the probe writes it: whether the header arrived, how many cases it plans
 * (its {@code cases} field) and how many have begun. Lines without the run's nonce are ignored, as in
 * {@link GuestRun}; a partial last line waits for its newline.
 */
final class ResultsFollower {

    private final FileTail tail;
    private final String nonce;
    private boolean header;
    private int cases = -1;
    private int begun;

    public ResultsFollower(Path resultsFile, String nonce, Instant since) {
        this.tail = new FileTail(resultsFile, since);
        this.nonce = nonce;
    }

    /** Reads what was appended since the last call; true when the header or the case number changed. */
    public boolean poll() throws IOException {
        boolean changed = false;
        for (String line : tail.newLines()) {
            switch (RecordReader.lenient().read(line, nonce)) {
                case Header h -> {
                    header = true;
                    cases = h.cases() == null ? -1 : h.cases();
                    changed = true;
                }
                case Begin b -> {
                    begun++;
                    changed = true;
                }
                case null, default -> { }
            }
        }
        return changed;
    }

    /** The probe's header arrived. */
    public boolean started() {
        return header;
    }

    /** Cases the probe plans to run (the header's {@code cases}), -1 before the header or when it lacks the field. */
    public int cases() {
        return cases;
    }

    /** Cases begun so far: the 1-based number of the running (or last) case, 0 before the first. */
    public int begun() {
        return begun;
    }
}
