package dev.ringvm.probe.protocol;

/**
 * One line of the guest protocol (docs/probe-records.md): the probe writes them with {@link RecordWriter}, the
 * harness reads them with {@link RecordReader}. Every record carries the run's nonce; the harness ignores lines
 * without it.
 */
public sealed interface ProbeRecord permits Header, Begin, Result, End {
    /** The run's nonce, from the kernel command line. */
    String nonce();
}
