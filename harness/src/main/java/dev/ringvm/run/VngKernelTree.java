package dev.ringvm.run;

import dev.ringvm.config.KernelSource;
import dev.ringvm.host.AtomicFiles;

import dev.ringvm.host.ProcessRunner;
import dev.ringvm.host.Tools;
import dev.ringvm.kernel.AptException;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.DebArchive;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A packaged kernel laid out the way vng looks for its modules: {@code <root>/boot/vmlinuz-R} and
 * {@code <root>/lib/modules/R}, from the kernel's .deb, under {@code <cache>/vng/<image sha256>/}. vng walks up
 * from the image it is given to the first directory holding {@code lib/modules} and, when the kernel needs
 * modules for its root filesystem (Debian's 6.1 cloud kernel has virtiofs as a module), builds an initramfs
 * with them. Made once per kernel: extracted to a temporary directory, then renamed into place. The .deb comes
 * from the private apt setup's download directory, fetched again when the resolver has not kept it (it keeps
 * only the image); a package whose version has left the archive gets no tree.
 */
final class VngKernelTree {
    private static final Pattern WANTED = Pattern.compile("(\\./)?(boot/vmlinuz-.*|(usr/)?lib/modules/.*)");

    private VngKernelTree() {}

    /**
     * The tree's root for {@code k}, made if needed; empty when ringvm has no .deb for it (path and build
     * sources: vng then boots the image alone, which works when virtiofs is built in).
     */
    static Optional<Path> root(Path cacheRoot, ResolvedKernel k) throws IOException {
        Path dir = cacheRoot.resolve("vng").resolve(k.sha256());
        if (Files.exists(dir.resolve("ready"))) return Optional.of(dir);
        Optional<Path> deb = debOf(cacheRoot, k);
        boolean fetched = false;
        if (deb.isEmpty()) {
            // the resolver keeps only the image: fetch the package again through the same private apt setup
            Optional<String> suite = aptSuite(k.source());
            if (suite.isEmpty() || k.packageName() == null) return Optional.empty();
            try {
                new AptRepo(cacheRoot, line -> {}).downloadPackage(suite.get(), k.packageName());
            } catch (AptException e) {
                return Optional.empty(); // offline: boot the image alone, vng then says what is missing
            }
            deb = debOf(cacheRoot, k); // empty when the archive has moved on to another version
            if (deb.isEmpty()) return Optional.empty();
            fetched = true;
        }
        Path debFile = deb.get();
        try {
            // another run may make it first (kept), or have left a partial one without "ready" (replaced)
            AtomicFiles.writeDirectory(dir, d -> Files.exists(d.resolve("ready")), tmp -> {
                DebArchive.extract(debFile, n -> WANTED.matcher(n).matches(), tmp);
                if (!Files.exists(tmp.resolve("lib/modules")) && Files.isDirectory(tmp.resolve("usr/lib/modules"))) {
                    Files.createSymbolicLink(tmp.resolve("lib"), Path.of("usr/lib")); // merged /usr packages
                }
                if (image(tmp).isEmpty()) throw new IOException(debFile + ": no boot/vmlinuz-* in the package");
                depmod(tmp);
                Files.writeString(tmp.resolve("ready"), k.release() + "\n");
            });
        } finally {
            if (fetched) Files.deleteIfExists(debFile);
        }
        return Optional.of(dir);
    }

    /** The suite of an apt source from its {@code describe()} ("apt PACKAGE @ SUITE"); pure. */
    static Optional<String> aptSuite(KernelSource source) {
        return source instanceof KernelSource.AptSource a ? Optional.of(a.suite()) : Optional.empty();
    }

    /**
     * A package ships no modules.dep (its postinst makes it): depmod makes it now, where kmod is installed
     * (vng depends on it), so vng does not write into the cache on its first boot.
     */
    private static void depmod(Path tree) throws IOException {
        Path modules = tree.resolve("lib/modules");
        if (!Files.isDirectory(modules) || Tools.find("depmod").isEmpty() && !Files.isExecutable(Path.of("/sbin/depmod"))) {
            return;
        }
        String depmod = Tools.find("depmod").map(Path::toString).orElse("/sbin/depmod");
        try (DirectoryStream<Path> s = Files.newDirectoryStream(modules, Files::isDirectory)) {
            for (Path release : s) {
                ProcessRunner.Result r = ProcessRunner.run(List.of(depmod, "-a", "-b", tree.toString(),
                        release.getFileName().toString()), Duration.ofMinutes(2));
                if (!r.ok()) throw new IOException("depmod for " + release + " failed: " + r.tail(3));
            }
        }
    }

    /** The kernel image inside a tree. */
    static Optional<Path> image(Path root) throws IOException {
        Path boot = root.resolve("boot");
        if (!Files.isDirectory(boot)) return Optional.empty();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(boot, "vmlinuz-*")) {
            for (Path p : s) return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * The .deb an apt source was resolved from, where the private apt setup downloaded it
     * ({@code <cache>/apt/<suite>/debs/<package>_<version without epoch>_amd64.deb}).
     */
    static Optional<Path> debOf(Path cacheRoot, ResolvedKernel k) throws IOException {
        if (k.packageName() == null || k.packageVersion() == null) return Optional.empty();
        String version = k.packageVersion().replaceFirst("^\\d+:", "");
        String name = k.packageName() + "_" + version + "_amd64.deb";
        Path apt = cacheRoot.resolve("apt");
        if (!Files.isDirectory(apt)) return Optional.empty();
        try (DirectoryStream<Path> suites = Files.newDirectoryStream(apt, Files::isDirectory)) {
            for (Path suite : suites) {
                Path deb = suite.resolve("debs").resolve(name);
                if (Files.isRegularFile(deb)) return Optional.of(deb);
            }
        }
        return Optional.empty();
    }
}
