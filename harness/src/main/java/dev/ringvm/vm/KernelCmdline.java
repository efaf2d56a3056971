package dev.ringvm.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Kernel command line tokens; pure functions. */
public final class KernelCmdline {
    /** Values go on the kernel command line unquoted, so they may not contain whitespace or quotes. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/=+@%*,-]+");

    private KernelCmdline() {}

    /**
     * Always present: console on ttyS0, reboot at once on panic (QEMU -no-reboot turns that into exit),
     * kernel messages at warning level and up (loglevel=5: the console prints levels below it, and KERN_WARNING
     * is 4, so WARN()'s "WARNING: CPU: ..." and its call trace reach the console log; not "quiet"),
     * 2 MiB huge pages reserved at boot, THP only where asked.
     */
    public static List<String> base(int memoryMiB) {
        return List.of("console=ttyS0", "panic=-1", "loglevel=5", "hugepagesz=2M",
                "hugepages=" + hugePages(memoryMiB), "transparent_hugepage=madvise");
    }

    /**
     * 2 MiB pages to reserve: 1/16 of guest memory, between 8 and 64 (512 MiB -> 16, 1 GiB -> 32,
     * 2 GiB+ -> 64): enough for the largest ring of the grid several times over, little enough to
     * leave room for the initramfs and the JVM.
     */
    public static int hugePages(int memoryMiB) {
        return Math.clamp(memoryMiB / 32, 8, 64);
    }

    /** The guest protocol: nonce and grid, optional case filter and extra JVM options (commas for spaces). */
    public static List<String> probe(String nonce, String grid, String only, List<String> javaOpts) {
        List<String> t = new ArrayList<>();
        t.add("ringvm.nonce=" + safe("nonce", nonce));
        t.add("ringvm.grid=" + safe("grid", grid));
        if (only != null && !only.isEmpty()) {
            t.add("ringvm.only=" + safe("only", only));
        }
        if (javaOpts != null && !javaOpts.isEmpty()) {
            for (String o : javaOpts) {
                if (o.contains(",")) {
                    throw new IllegalArgumentException("JVM option may not contain a comma: " + o);
                }
                safe("JVM option", o);
            }
            t.add("ringvm.javaopts=" + String.join(",", javaOpts));
        }
        return List.copyOf(t);
    }

    /** The uid an {@code unprivileged:} probe runs as: nobody, without CAP_IPC_LOCK. */
    public static final int UNPRIVILEGED_UID = 65534;

    /**
     * Run the probe as uid {@link #UNPRIVILEGED_UID} with RLIMIT_MEMLOCK {@code memlockKiB} (the guest's init sets
     * the limit, then drops to that user): where 6.14+ charges ring memory to the limit.
     */
    public static List<String> unprivileged(int memlockKiB) {
        return List.of("ringvm.user=" + UNPRIVILEGED_UID, "ringvm.memlock=" + memlockKiB);
    }

    /** The -append value: base tokens then extras, space separated. */
    public static String join(List<String> tokens) {
        return String.join(" ", tokens);
    }

    /** True when {@code v} can travel as a kernel command line value unquoted (what the guest's init reads). */
    public static boolean isPlainValue(String v) {
        return v != null && SAFE.matcher(v).matches();
    }

    private static String safe(String what, String v) {
        if (v == null || !SAFE.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " is not a plain kernel command line value: " + v);
        }
        return v;
    }
}
