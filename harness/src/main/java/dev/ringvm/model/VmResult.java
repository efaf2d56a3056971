package dev.ringvm.model;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one VM ended and what its probe said.
 *
 * @param status  tri-state-plus outcome, see {@link Status}
 * @param detail  one line for a person: why it is not COMPLETE (empty when it is)
 * @param guest   parsed records (possibly partial: results before a crash are kept)
 * @param wall    QEMU start to exit
 * @param accel   accelerator used (kvm / tcg)
 * @param console what the console log said, read once when the VM ended
 */
public record VmResult(VmJob job, Status status, String detail, GuestRun guest, Duration wall, String accel,
                       Path consoleLog, Path resultsLog, ConsoleFacts console) {

    public VmResult {
        if (console == null) console = ConsoleFacts.NONE;
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
