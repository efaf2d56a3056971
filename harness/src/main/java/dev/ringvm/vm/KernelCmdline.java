package dev.ringvm.vm;

import dev.ringvm.config.Arch;

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
        return base(Arch.X86_64, 4, memoryMiB);
    }

    /**
     * {@link #base(int)} for a guest of {@code arch} whose kernel has {@code pageKiB} pages: the console on the
     * architecture's UART, the results device for /init when it is not ttyS1, and huge pages of the kernel's default
     * size ({@link #hugePageKiB}), reserved by {@link #hugePages(int, int)}.
     */
    public static List<String> base(Arch arch, int pageKiB, int memoryMiB) {
        List<String> t = new ArrayList<>();
        t.add("console=" + console(arch));
        t.addAll(List.of("panic=-1", "loglevel=5"));
        long hugeKiB = hugePageKiB(pageKiB);
        t.add("hugepagesz=" + (hugeKiB / 1024) + "M");
        t.add("hugepages=" + hugePages(memoryMiB, hugeKiB));
        t.add("transparent_hugepage=madvise");
        if (arch != Arch.X86_64) {
            t.add(RESULTS_KEY + "=" + resultsDevice(arch));
            // no CMA area (Debian's arm64 kernels reserve 64 MiB): io_uring pins ring memory FOLL_LONGTERM, which must
            // first migrate a folio out of CMA; for a THP that lands there (32 MiB on 16K) the migration target needs
            // direct compaction, which in a 512M guest looped in reclaim_throttle until the VM timed out (2 of 3
            // boots, in span/thp; docs/verdicts.md). The guest has no device that needs CMA.
            t.add("cma=0");
        }
        return List.copyOf(t);
    }

    /** The kernel command line key that tells /init where the results channel is (absent: /dev/ttyS1). */
    public static final String RESULTS_KEY = "ringvm.results";

    /** The console: the first 16550 on x86-64, the virt board's PL011 on arm64. */
    public static String console(Arch arch) {
        return switch (arch) {
            case X86_64 -> "ttyS0";
            case ARM64 -> "ttyAMA0";
        };
    }

    /** Where the guest writes the probe's records: the second serial on x86-64, the virtio console on arm64. */
    public static String resultsDevice(Arch arch) {
        return switch (arch) {
            case X86_64 -> "/dev/ttyS1";
            case ARM64 -> "/dev/hvc0";
        };
    }

    /**
     * The default huge page size of a kernel with {@code pageKiB} pages, in KiB: a PMD maps 2 MiB with 4K pages,
     * 32 MiB with 16K and 512 MiB with 64K (arm64's granules; x86-64 is always 4K).
     */
    public static long hugePageKiB(int pageKiB) {
        return switch (pageKiB) {
            case 4 -> 2048;
            case 16 -> 32 * 1024;
            case 64 -> 512 * 1024;
            default -> throw new IllegalArgumentException("page size " + pageKiB + " KiB: expected 4, 16 or 64");
        };
    }

    /**
     * Huge pages of {@code hugeKiB} to reserve: 2 MiB pages as {@link #hugePages(int)}; larger ones 1/8 of guest
     * memory, at least 4 (a span case takes two, a multi-page case one per region) and at most 16: 32 MiB pages are
     * 4 (128 MiB) at 512M and 8 at 2G. 512 MiB pages (64K kernels) are none below 8 GiB: each would be a quarter of a
     * 2G guest, so their hugetlb cases find none free and are ALLOC_FAILED, which the report says.
     */
    public static int hugePages(int memoryMiB, long hugeKiB) {
        if (hugeKiB == 2048) return hugePages(memoryMiB);
        long hugeMiB = hugeKiB / 1024;
        if (hugeMiB * 4 * 4 > memoryMiB) return 0;
        return Math.clamp(memoryMiB / 8 / hugeMiB, 4, 16);
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
