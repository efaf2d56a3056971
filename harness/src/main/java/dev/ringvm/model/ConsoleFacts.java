package dev.ringvm.model;

import java.util.List;

/**
 * What a VM's console log says, read once when the VM ends and kept on its result, so judging and re-rendering
 * reports never read console logs again.
 *
 * @param findings    panics, oopses, WARNINGs with a trace, ... in console order
 * @param bootSeconds kernel start to the init script (the guest's own clock), null when the log does not say
 * @param tail        the log's last lines, cleaned of control characters (shown when a boot has no finding)
 */
public record ConsoleFacts(List<Finding> findings, Double bootSeconds, String tail) {
    /** A VM without a console (the probe ran on the host), or one whose log could not be read. */
    public static final ConsoleFacts NONE = new ConsoleFacts(List.of(), null, "");

    public ConsoleFacts {
        findings = List.copyOf(findings);
        tail = tail == null ? "" : tail;
    }
}
