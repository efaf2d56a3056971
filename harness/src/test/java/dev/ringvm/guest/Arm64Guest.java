package dev.ringvm.guest;

import dev.ringvm.config.Arch;
import dev.ringvm.host.CacheLock;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.kernel.AptException;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.AptTarget;
import dev.ringvm.kernel.DebArchive;
import dev.ringvm.kernel.PackageRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.io.file.PathUtils;

/**
 * Test helpers for arm64 guests until the run code boots them: Debian trixie's arm64 cloud kernel (downloaded once,
 * only its vmlinuz kept) and the QEMU command line of the arm64 spike (virt machine, TCG, console on the PL011
 * ttyAMA0, results on a virtio console, /dev/hvc0 in the guest).
 */
final class Arm64Guest {
    static final String KERNEL_PACKAGE = "linux-image-*-cloud-arm64";
    /** The results channel's device in the guest: the first virtio console. */
    static final String RESULTS_DEVICE = "/dev/hvc0";

    private Arm64Guest() {}

    /** The newest trixie arm64 cloud kernel image, cached as {@code <cacheRoot>/test-kernels/arm64/<package>_<version>.vmlinuz}. */
    static Path kernel(Path cacheRoot, Consumer<String> log) throws IOException, AptException {
        AptRepo apt = new AptRepo(cacheRoot, log);
        AptTarget trixie = AptTarget.host("trixie", Arch.ARM64);
        PackageRef ref = apt.newestKernelImage(trixie, KERNEL_PACKAGE);
        Path dir = cacheRoot.resolve("test-kernels").resolve("arm64");
        Path image = dir.resolve(ref.name() + "_" + ref.version().replace(':', '_') + ".vmlinuz");
        return CacheLock.<Path, AptException>with(dir.resolve("kernel.lock"), () -> {
            if (Files.isRegularFile(image)) return image;
            Path tmp = Files.createTempDirectory(dir, ".download-");
            try {
                Path deb = apt.download(trixie, ref, tmp); // ~28 MiB, deleted once the image is out
                Path out = tmp.resolve("vmlinuz");
                if (DebArchive.extractKernelImage(deb, out).isEmpty()) throw new IOException(deb + ": no vmlinuz");
                Files.move(out, image, StandardCopyOption.ATOMIC_MOVE);
                return image;
            } finally {
                PathUtils.deleteDirectory(tmp);
            }
        });
    }

    /** The spike's QEMU command line, with the results channel named on the kernel command line. */
    static List<String> qemu(Path kernel, Path initrd, Path console, Path results, List<String> cmdline) {
        List<String> append = new ArrayList<>(List.of("console=ttyAMA0", "panic=-1", "loglevel=5",
                "transparent_hugepage=madvise", "hugepages=4", "ringvm.results=" + RESULTS_DEVICE));
        append.addAll(cmdline);
        return List.of("qemu-system-aarch64", "-accel", "tcg", "-M", "virt", "-cpu", "max", "-m", "1024M", "-smp", "1",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", String.join(" ", append),
                "-chardev", "file,id=con,path=" + console, "-serial", "chardev:con",
                "-device", "virtio-serial-pci", "-chardev", "file,id=res,path=" + results,
                "-device", "virtconsole,chardev=res",
                "-display", "none", "-monitor", "none", "-nodefaults", "-nic", "none", "-no-reboot");
    }

    /** Boots and waits for QEMU to exit (killed past {@code timeout}). */
    static ProcessRunner.Result boot(Path kernel, Path initrd, Path console, Path results, List<String> cmdline,
            Duration timeout) throws IOException {
        return ProcessRunner.run(qemu(kernel, initrd, console, results, cmdline), timeout);
    }
}
