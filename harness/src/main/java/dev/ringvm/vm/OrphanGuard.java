package dev.ringvm.vm;

import dev.ringvm.host.Tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * No QEMU outlives ringvm, whatever kills ringvm: a shutdown hook ({@link QemuReaper}) covers Ctrl-C and every
 * normal exit, but nothing in the JVM runs after SIGKILL. So QEMU is started through util-linux's {@code setpriv
 * --pdeathsig KILL}, which asks the kernel (prctl PR_SET_PDEATHSIG, kept across exec) to SIGKILL it the moment its
 * parent goes. The parent is the <em>thread</em> that forked it, not the JVM: every caller of {@link Vm} starts,
 * awaits and closes its VM on one thread, so that thread outlives the VM unless the JVM dies.
 */
final class OrphanGuard {
    static final List<String> PREFIX = List.of("--pdeathsig", "KILL", "--");
    private static final Optional<Path> SETPRIV = Tools.find("setpriv", System.getenv("PATH"))
            .or(() -> Tools.find("/usr/bin/setpriv"));

    private OrphanGuard() {}

    /** {@code argv} run under {@code setpriv --pdeathsig KILL --} when setpriv is installed, else as it is. */
    static List<String> wrap(List<String> argv) {
        return wrap(argv, SETPRIV);
    }

    /** Pure form for tests. */
    static List<String> wrap(List<String> argv, Optional<Path> setpriv) {
        if (setpriv.isEmpty()) return argv;
        List<String> out = new ArrayList<>(argv.size() + 4);
        out.add(setpriv.get().toString());
        out.addAll(PREFIX);
        out.addAll(argv);
        return List.copyOf(out);
    }

    /** Whether QEMU is guarded here (for the README's guarantee and for tests). */
    static boolean available() {
        return SETPRIV.isPresent();
    }
}
