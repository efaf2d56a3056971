package dev.ringvm.vm;

import java.util.List;

/** Progress of a VM run, for whatever UI listens; the launcher itself never prints. */
public sealed interface VmEvent {
    record Started(long pid, List<String> argv) implements VmEvent {}

    record Exited(VmExit exit) implements VmEvent {}
}
