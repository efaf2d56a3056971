package dev.ringvm.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How one VM ended and what its probe said.
 *
 * @param status  tri-state-plus outcome, see {@link Status}
 * @param detail  one line for a person: why it is not COMPLETE (empty when it is)
 * @param guest   parsed records (possibly partial: results before a crash are kept)
 * @param wall    QEMU start to exit
 * @param accel   accelerator used (kvm / tcg)
 * @param console what the console log said, read once when the VM ended
 * @param attempts earlier boots of this job that ended INFRA before it (the probe never began a case) and were
 *                 booted again ({@code --retry-infra N}), oldest first; empty when this is the only boot
 */
public record VmResult(VmJob job, Status status, String detail, GuestRun guest, Duration wall, String accel,
                       Path consoleLog, Path resultsLog, ConsoleFacts console, List<Attempt> attempts) {

    public VmResult {
        if (console == null) console = ConsoleFacts.NONE;
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A VM that was booted once. */
    public VmResult(VmJob job, Status status, String detail, GuestRun guest, Duration wall, String accel,
                    Path consoleLog, Path resultsLog, ConsoleFacts console) {
        this(job, status, detail, guest, wall, accel, consoleLog, resultsLog, console, List.of());
    }

    /**
     * One boot that ended INFRA and was retried.
     *
     * @param consoleLog its console log, kept beside the final one ({@code attempt-1/console.log})
     */
    public record Attempt(Status status, String detail, long wallMillis, String consoleLog) {}

    /** This result with the boots that came before it. */
    public VmResult withAttempts(List<Attempt> earlier) {
        return new VmResult(job, status, detail, guest, wall, accel, consoleLog, resultsLog, console, earlier);
    }

    public enum Status {
        /** Powered off after the probe's end record: every case has a result. */
        COMPLETE,
        /** Powered off (or QEMU exited) but the record set is incomplete: probe crash, kernel panic. */
        INCOMPLETE,
        /** Killed at the boot timeout. */
        TIMEOUT,
        /** QEMU itself failed (bad argument, missing file, accelerator failure). */
        QEMU_FAILED
    }

    public boolean complete() {
        return status == Status.COMPLETE;
    }
}
