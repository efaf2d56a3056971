package dev.ringvm.vm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ringvm shell}: a VM whose console (ttyS0) is this terminal. The terminal goes raw (Ctrl-C reaches the guest)
 * and every input byte goes to QEMU, except Ctrl-], which ends the VM. The session ends when the guest powers off
 * (its shell exited) or on Ctrl-]; QEMU is killed on the way out, also when ringvm itself is stopped.
 */
public final class ConsoleSession {
    /** Ctrl-]: leaves the session (as telnet and virsh console do). */
    public static final int ESCAPE = 0x1d;

    private ConsoleSession() {}

    /** The QEMU command line: the run's machine, memory and kernel command line, ttyS0 on stdio, ttyS1 discarded. */
    public static List<String> argv(String qemu, Path kernel, Path initramfs, int memoryMiB, Accel accel,
                                    List<String> cmdlineExtras) {
        return argv(qemu, dev.ringvm.config.Arch.X86_64, 4, kernel, initramfs, memoryMiB, accel, cmdlineExtras);
    }

    /**
     * The same for a guest of {@code arch} with {@code pageKiB} pages: its console UART on stdio (ttyAMA0 on arm64,
     * whose results device, a virtio console, is left out: the shell's probe writes to stdout).
     */
    public static List<String> argv(String qemu, dev.ringvm.config.Arch arch, int pageKiB, Path kernel, Path initramfs,
                                    int memoryMiB, Accel accel, List<String> cmdlineExtras) {
        List<String> tokens = new ArrayList<>(KernelCmdline.base(arch, pageKiB, memoryMiB));
        tokens.addAll(cmdlineExtras);
        List<String> a = new ArrayList<>();
        a.add(qemu);
        a.addAll(QemuArgs.accel(accel));
        a.addAll(QemuArgs.machine(arch));
        a.addAll(QemuArgs.cpu(accel));
        a.addAll(QemuArgs.memory(memoryMiB));
        a.addAll(QemuArgs.smp(1));
        a.addAll(QemuArgs.kernel(kernel, initramfs, KernelCmdline.join(tokens)));
        // signal=off: Ctrl-C is a byte for the guest's shell, not a signal for QEMU
        a.addAll(List.of("-chardev", "stdio,id=con,signal=off", "-serial", "chardev:con"));
        if (arch == dev.ringvm.config.Arch.X86_64) a.addAll(List.of("-serial", "null"));
        a.addAll(QemuArgs.headless());
        a.addAll(QemuArgs.noReboot());
        return List.copyOf(a);
    }

    /** How the session ended. */
    public enum End { GUEST_POWERED_OFF, ESCAPED }

    /**
     * Runs QEMU with {@code in} pumped to its stdin and its output (console and QEMU's own messages) copied to
     * {@code out}.
     *
     * @param log where "qemu pid N" and the end go (stderr)
     */
    public static End run(List<String> argv, InputStream in, OutputStream out, Consumer<String> log)
            throws IOException, InterruptedException {
        String saved = rawTerminal();
        // QEMU's output comes through a pipe, never our terminal itself: QEMU makes its stdio non-blocking, and on a
        // terminal that flag belongs to the open file our stdin shares, so our reads would fail with EAGAIN
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        QemuReaper.register(p);
        Thread copy = Thread.ofPlatform().daemon().name("console-output").start(() -> {
            try (InputStream from = p.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = from.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // QEMU went away or our stdout closed: the waiter reports the end
            }
        });
        log.accept("qemu pid " + p.pid() + "; Ctrl-] leaves");
        boolean[] escaped = {false};
        Thread pump = Thread.ofPlatform().daemon().name("console-input").start(() -> {
            try (OutputStream toQemu = p.getOutputStream()) {
                byte[] buf = new byte[256];
                for (int n; (n = in.read(buf)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == ESCAPE) {
                            toQemu.write(buf, 0, i);
                            toQemu.flush();
                            escaped[0] = true;
                            p.destroy();
                            return;
                        }
                    }
                    toQemu.write(buf, 0, n);
                    toQemu.flush();
                }
            } catch (IOException e) {
                // QEMU went away: its end is reported by the waiter
            }
        });
        try {
            p.waitFor();
        } finally {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
            QemuReaper.unregister(p);
            copy.join(java.time.Duration.ofSeconds(5));
            restoreTerminal(saved);
            pump.interrupt();
        }
        return escaped[0] ? End.ESCAPED : End.GUEST_POWERED_OFF;
    }

    /** Our stdin is a terminal: /proc/self/fd/0 points at a tty or pty device. */
    static boolean stdinIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Puts the terminal in raw mode without echo; its previous settings ({@code stty -g}), null when not a tty. */
    private static String rawTerminal() throws IOException, InterruptedException {
        if (!stdinIsTerminal()) return null;
        Process g = new ProcessBuilder("stty", "-g").redirectInput(new File("/dev/tty")).start();
        String saved = new String(g.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        if (g.waitFor() != 0 || saved.isEmpty()) return null;
        new ProcessBuilder("stty", "raw", "-echo").redirectInput(new File("/dev/tty")).start().waitFor();
        return saved;
    }

    private static void restoreTerminal(String saved) throws InterruptedException {
        if (saved == null) return;
        try {
            new ProcessBuilder("stty", saved).redirectInput(new File("/dev/tty")).start().waitFor();
        } catch (IOException e) {
            // nothing more to do: the terminal stays as it is
        }
    }
}
