package dev.ringvm.repro;

import dev.ringvm.config.ConfigException;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmResult;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.report.RunDirectory;
import dev.ringvm.verdict.ExpectationModel;
import dev.ringvm.verdict.Judge;
import dev.ringvm.verdict.JudgedCase;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.vm.Accel;
import dev.ringvm.vm.KernelCmdline;
import dev.ringvm.vm.QemuArgs;
import dev.ringvm.vm.VmSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes the reproducer directory of one case of a run: {@code repro.c} ({@link ReproSource}), {@code build.sh} (its
 * static build), {@code mkinitramfs.sh} (busybox + the static binary + an init that runs it once, as a newc cpio),
 * {@code run-qemu.sh} (the kernel of the run on that initramfs, with the run's memory and kernel command line; and,
 * as a comment, the QEMU command line ringvm itself booted) and {@code README.md} for the bug report.
 */
public final class Repro {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/=:+@%,-]+");

    private Repro() {}

    /** What was found for {@code VMCELL/CASE} in a run: the judged row, the judged case, the boot it came from. */
    record Target(JudgedVm row, JudgedCase judged, VmResult boot) {}

    /** Writes the directory; {@code cell} is {@code <kernel>-<memory>/<case id>}, e.g. {@code repro-6.5-512M/memalign/sq65}. */
    public static Path write(Path runDir, String cell, Path out) throws IOException, ConfigException {
        Target t = find(runDir, cell);
        Result r = t.judged().first();
        CaseSpec spec = r.spec();
        String unsupported = ReproSource.unsupported(spec);
        if (unsupported != null) {
            throw new ConfigException("repro " + cell + ": " + unsupported);
        }
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("repro.c"), ReproSource.of(spec));
        script(out.resolve("build.sh"), "#!/bin/sh\n# the reproducer, static: it runs in the one-case initramfs (no libc there)\n"
                + "set -eu\ncd \"$(dirname \"$0\")\"\n" + ReproSource.BUILD + "\n");
        script(out.resolve("mkinitramfs.sh"), mkinitramfs());
        script(out.resolve("run-qemu.sh"), runQemu(t, runDir));
        AtomicFiles.write(out.resolve("README.md"), readme(t, runDir, cell));
        return out;
    }

    static Target find(Path runDir, String cell) throws ConfigException {
        int slash = cell.indexOf('/');
        if (slash <= 0 || slash == cell.length() - 1) {
            throw new ConfigException("CELL: expected <kernel>-<memory>/<case id> (e.g. repro-6.5-512M/memalign/sq65), got \"" + cell + "\"");
        }
        String vmCell = cell.substring(0, slash);
        String caseId = cell.substring(slash + 1);
        RunSummary s;
        try {
            s = RunDirectory.read(runDir);
        } catch (IOException e) {
            throw new ConfigException("RUN_DIR: " + runDir + " is not a readable run directory: " + e.getMessage());
        }
        Judgement j = Judge.standard(s);
        JudgedVm row = j.vms().stream().filter(v -> v.cell().equals(vmCell)).findFirst().orElseThrow(() ->
                new ConfigException("CELL: no " + vmCell + " in " + runDir + " (cells: "
                        + j.vms().stream().map(JudgedVm::cell).toList() + ")"));
        if (row.boots().getFirst().job().onHost()) {
            throw new ConfigException("CELL: " + vmCell + " ran on the host kernel; repro writes a VM reproducer");
        }
        if (row.arch() != dev.ringvm.config.Arch.X86_64) {
            throw new ConfigException("CELL: " + vmCell + " is an " + row.arch().id() + " kernel; repro writes x86-64"
                    + " reproducers only (its C program, busybox and QEMU line are the host's)");
        }
        JudgedCase c = row.cases().stream().filter(x -> x.id().equals(caseId)).findFirst().orElseThrow(() ->
                new ConfigException("CELL: no case " + caseId + " in " + vmCell + " (" + row.cases().size()
                        + " cases, e.g. " + row.cases().stream().limit(3).map(JudgedCase::id).toList() + ")"));
        VmResult boot = row.boots().stream().filter(b -> b.guest().cases().contains(c.first())).findFirst()
                .orElse(row.boots().getFirst());
        return new Target(row, c, boot);
    }

    private static String mkinitramfs() {
        return """
                #!/bin/sh
                # The one-case initramfs: busybox, the static reproducer and an init that runs it once and powers off
                # (the guest's memory, huge page and THP settings as ringvm sets them). Needs gcc, libc6-dev (static libc)
                # and busybox-static. Writes initramfs.cpio next to this script.
                set -eu
                cd "$(dirname "$0")"
                BUSYBOX="${BUSYBOX:-/bin/busybox}"
                sh ./build.sh
                rm -rf initramfs.d
                mkdir -p initramfs.d/bin
                cp "$BUSYBOX" initramfs.d/bin/busybox
                cp repro initramfs.d/repro
                cat > initramfs.d/init <<'INIT'
                #!/bin/busybox sh
                /bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin
                /bin/busybox mount -t proc proc /proc
                /bin/busybox mount -t sysfs sysfs /sys
                /bin/busybox mount -t devtmpfs devtmpfs /dev
                /bin/busybox --install -s
                export PATH=/bin:/sbin:/usr/bin:/usr/sbin
                for knob in enabled defrag; do
                  echo madvise > /sys/kernel/mm/transparent_hugepage/$knob 2>/dev/null
                done
                ulimit -l unlimited
                echo "repro: $(uname -r), huge pages: $(cat /proc/sys/vm/nr_hugepages)"
                /repro
                echo "repro: exit $?"
                poweroff -f
                INIT
                chmod +x initramfs.d/init
                (cd initramfs.d && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) > initramfs.cpio
                echo "initramfs.cpio: $(wc -c < initramfs.cpio) bytes"
                """;
    }

    private static String runQemu(Target t, Path runDir) {
        ResolvedKernel k = t.boot().job().kernel();
        int mem = t.boot().job().memoryMiB();
        String kernel = k.image() == null ? "KERNEL" : k.image().toAbsolutePath().toString();
        String append = KernelCmdline.join(KernelCmdline.base(mem));
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64"));
        argv.addAll(QemuArgs.accel(Accel.TCG));
        argv.addAll(QemuArgs.machine());
        argv.addAll(QemuArgs.cpu(Accel.TCG));
        argv.addAll(QemuArgs.memory(mem));
        argv.addAll(QemuArgs.smp(1));
        argv.add("-kernel");
        argv.add("${KERNEL}");
        argv.addAll(List.of("-initrd", "initramfs.cpio", "-append", append));
        argv.addAll(List.of("-display", "none", "-monitor", "none", "-nodefaults", "-nic", "none", "-serial", "stdio"));
        argv.addAll(QemuArgs.noReboot());
        VmSpec ringvm = VmSpec.of(Path.of(kernel), Path.of("GUEST_IMAGE.cpio"),
                        runDir.toAbsolutePath().resolve(t.boot().job().name()).resolve("console.log"),
                        runDir.toAbsolutePath().resolve(t.boot().job().name()).resolve("results.log"))
                .withMemoryMiB(mem).withAccel(Accel.TCG)
                .withCmdlineExtras(KernelCmdline.probe("NONCE", "default", onlyRegex(t.judged().id()), List.of()));
        return "#!/bin/sh\n"
                + "# Boots the run's kernel on the one-case initramfs (./mkinitramfs.sh) with the run's memory and kernel\n"
                + "# command line; the reproducer's output comes on this terminal. KVM: ACCEL=kvm ./run-qemu.sh\n"
                + "# The kernel: " + k.id() + " " + k.release() + " (" + k.source().describe() + "), sha256 " + k.sha256() + "\n"
                + "set -eu\ncd \"$(dirname \"$0\")\"\n"
                + "KERNEL=\"${KERNEL:-" + kernel + "}\"\n"
                + "[ -f initramfs.cpio ] || sh ./mkinitramfs.sh\n"
                + "exec " + quote(argv).replace("-accel tcg", "-accel \"${ACCEL:-tcg}\"").replace("'${KERNEL}'", "\"$KERNEL\"") + "\n"
                + "\n# ringvm itself booted this VM with its guest image (JVM + probe) and this command line, the case\n"
                + "# filter narrowed to the case (regex; it may match a few more cases):\n# "
                + quote(QemuArgs.build(ringvm)) + "\n";
    }

    /** A --only regex that finds the case and few others: "+" (a regex operator) is any character there. */
    static String onlyRegex(String id) {
        return id.replace("+", ".");
    }

    private static String quote(List<String> argv) {
        List<String> out = new ArrayList<>();
        for (String a : argv) out.add(SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        return String.join(" ", out);
    }

    private static String readme(Target t, Path runDir, String cell) {
        JudgedCase c = t.judged();
        Result r = c.first();
        ResolvedKernel k = t.boot().job().kernel();
        ExpectationModel.Expectation e = c.expectation();
        StringBuilder b = new StringBuilder();
        b.append("# io_uring NO_MMAP setup: ").append(c.id()).append(" on ").append(k.release()).append("\n\n");
        b.append("Found by ringvm (").append(runDir.toAbsolutePath()).append(", ").append(cell).append(").\n\n");
        b.append("## Kernel\n\n");
        b.append("- release: `").append(Optional.ofNullable(t.boot().guest().release()).orElse(k.release())).append("`\n");
        b.append("- version string: `").append(k.versionString()).append("`\n");
        b.append("- source: ").append(k.source().describe()).append(k.packageName() == null ? "" : " (" + k.packageName()
                + " " + k.packageVersion() + ")").append("\n");
        b.append("- image sha256: `").append(k.sha256()).append("`\n");
        b.append("- guest: ").append(t.boot().job().memoryMiB()).append(" MiB, ")
                .append(KernelCmdline.hugePages(t.boot().job().memoryMiB())).append(" x 2 MiB huge pages, THP madvise\n\n");
        b.append("## Result\n\n");
        b.append("- expected: `").append(e.allowedText()).append("` (").append(e.where()).append(")\n");
        b.append("- observed: `").append(c.outcome()).append("`").append(r.errno() != 0 ? " (errno " + r.errno() + ")" : "")
                .append(r.ringError() != null ? ": " + r.ringError() : "").append("\n");
        b.append("- verdict: ").append(c.verdict()).append(": ").append(c.reason()).append("\n");
        for (ExpectationModel.Row row : e.rows()) {
            b.append("- timeline row that decided the expectation: **").append(row.name()).append("** (")
                    .append(row.rangeText()).append(")").append(row.why() == null || row.why().isBlank() ? "" : ": " + row.why())
                    .append("\n");
        }
        b.append("\n## The case\n\n");
        CaseSpec s = r.spec();
        b.append("- layout: ").append(s.layout().id()).append(", backing: ").append(s.backing().id()).append(" (")
                .append(ReproSource.backingText(s.backing())).append(")\n");
        b.append("- io_uring_setup(").append(s.sqEntries()).append(", flags 0x").append(Integer.toHexString(r.flags()))
                .append(")").append(s.cqsize() ? ", cq_entries " + s.cqEntries() + " (CQSIZE)" : "")
                .append(r.actualSq() > 0 ? ", entries got: sq " + r.actualSq() + " cq " + r.actualCq() : "").append("\n");
        b.append("- SQE region: ").append(r.sqeBytes()).append(" bytes, ").append(r.sqePages()).append(" page(s)")
                .append(pages(r.sqePageKiB(), r.sqeContiguous())).append("\n");
        b.append("- rings region: ").append(r.ringBytes()).append(" bytes, ").append(r.ringPages()).append(" page(s)")
                .append(pages(r.ringPageKiB(), r.ringContiguous())).append("\n");
        if (r.bufferBytes() != null) b.append("- liburing's one buffer: ").append(r.bufferBytes()).append(" bytes\n");
        b.append("\n## Reproduce\n\n");
        b.append("    ").append(ReproSource.BUILD).append("\n    ./repro                 # on the running kernel\n");
        b.append("    ./mkinitramfs.sh && ./run-qemu.sh   # on the run's kernel, in QEMU\n\n");
        b.append("`repro.c` is standalone (raw system calls, no liburing): it allocates the memory in the same backing and\n");
        b.append("layout, calls io_uring_setup(2) with the same flags and sizes, prints the result and errno, and when the\n");
        b.append("setup succeeds sends NOPs through every SQ and CQ slot (2 x CQ entries), checking every CQE's user_data and\n");
        b.append("res and the guard bytes around the regions, as ringvm's probe does.\n");
        return b.toString();
    }

    private static String pages(Integer kib, Boolean contiguous) {
        List<String> p = new ArrayList<>();
        if (kib != null) p.add(kib + " KiB pages");
        if (contiguous != null) p.add(contiguous ? "physically contiguous" : "not physically contiguous");
        return p.isEmpty() ? "" : " (" + String.join(", ", p) + ")";
    }

    private static void script(Path f, String text) throws IOException {
        AtomicFiles.write(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
