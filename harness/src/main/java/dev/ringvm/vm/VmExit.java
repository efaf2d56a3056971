package dev.ringvm.vm;

import java.time.Duration;

/** How a VM run ended; a timeout is an outcome, not an exception. */
public sealed interface VmExit {
    /** QEMU exited 0: the guest powered off (or rebooted after a panic: -no-reboot + panic=-1). */
    record PoweredOff(Duration elapsed) implements VmExit {}

    /** The watchdog killed QEMU after the spec's timeout. */
    record TimedOut(Duration limit) implements VmExit {}

    /** QEMU exited non-zero on its own (bad option, missing file, accelerator failure, abort). */
    record QemuFailed(int exitCode, String stderrTail) implements VmExit {}
}
