package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.io.FileUtils;

/**
 * {@code apt:} a Debian or Ubuntu kernel package. Through kernels.lock first (a pinned, cached, verified image needs
 * no network), else the newest matching package from the archive: downloaded, its vmlinuz extracted (following
 * Depends to the package that holds it: meta -> image -> linux-binary), checked against the kernel's config (from the
 * same package, or from {@code linux-modules-RELEASE} where Ubuntu's split packaging keeps it), stored and pinned.
 */
record AptProvider(PackageArchive archive, KernelStore store, KernelLock lock, Consumer<String> log, Clock clock)
        implements KernelProvider<KernelSource.AptSource> {
    /** Depends followed from an image package to the one that holds the vmlinuz (meta -> image -> linux-binary). */
    private static final int MAX_DEPTH = 2;

    @Override
    public ResolvedKernel resolve(String id, KernelSource.AptSource a, Arch arch, boolean ignoreLock) throws IOException, AptException {
        AptTarget target = AptTarget.of(a, arch);
        Optional<KernelLock.Entry> pin = lock.pin(id, a, ignoreLock, log);
        if (pin.isPresent()) {
            KernelLock.Entry e = pin.get();
            Optional<KernelStore.Image> cached = store.image(e.sha256());
            if (cached.isPresent()) {
                log.accept("kernel " + id + ": " + e.packageName() + " " + e.version() + " from kernels.lock (cached)");
                return cached.get().resolved(id, a, e.packageName(), e.version());
            }
            Path damaged = store.imagePath(e.sha256());
            if (Files.isRegularFile(damaged)) {
                log.accept("kernel " + id + ": cached image " + damaged + " does not match its sha256; fetching again");
                Files.deleteIfExists(damaged);
            }
            Optional<PackageRef> pinned = archive.show(target, List.of(e.packageName())).stream()
                    .filter(r -> r.version().equals(e.version())).findFirst();
            if (pinned.isPresent()) {
                log.accept("kernel " + id + ": fetching pinned " + e.packageName() + " " + e.version());
                return fetch(id, a, target, pinned.get(), e.sha256());
            }
            log.accept("kernel " + id + ": pinned " + e.packageName() + " " + e.version() + " is no longer in "
                    + a.suite() + "; resolving anew and updating kernels.lock");
        }
        PackageRef ref = archive.newestKernelImage(target, a.pkg());
        log.accept("kernel " + id + ": " + a.pkg() + " @ " + target.describe() + " -> " + ref.name() + " " + ref.version());
        return fetch(id, a, target, ref, null);
    }

    /**
     * Downloads {@code ref} (following its Depends to the package holding the vmlinuz), stores and pins the image.
     *
     * @param pinnedSha the image sha256 kernels.lock pins for this package version, or null: a package version
     *                  whose image differs from its pin is refused (an integrity failure) and the pin is kept
     */
    private ResolvedKernel fetch(String id, KernelSource.AptSource a, AptTarget target, PackageRef ref, String pinnedSha)
            throws IOException, AptException {
        Optional<KernelStore.Indexed> known = store.byPackage(ref, target.arch());
        if (known.isPresent()) {
            KernelStore.Image img = known.get().image();
            checkPin(ref, img, pinnedSha);
            pin(id, a, ref, known.get().imagePackage(), img);
            log.accept("kernel " + id + ": " + ref.name() + " " + ref.version() + " already in the cache");
            return img.resolved(id, a, ref.name(), ref.version());
        }
        Path work = dev.ringvm.host.TempDirs.create(store.tmp(), "fetch-");
        try {
            Path extracted = work.resolve("vmlinuz");
            Path config = work.resolve("config");
            Found found = findImage(target, ref, work, extracted, config, 0, new ArrayList<>());
            KernelImage header = KernelImage.read(extracted);
            String release = header.release();
            String configFrom = found.holder().name();
            if (!found.config()) {
                configFrom = modulesConfig(target, release, work, config);
            }
            if (configFrom != null) {
                KernelStore.checkConfig(configFrom, header, config);
            } else {
                log.accept("kernel " + id + ": no kernel config in " + found.holder().name() + " or linux-modules-" + release
                        + "; built-in drivers not checked");
            }
            String sha = Sha256.hex(extracted);
            if (pinnedSha != null && !pinnedSha.equals(sha)) {
                throw mismatch(ref, sha, pinnedSha);
            }
            KernelStore.Image img = store.store(extracted, sha);
            store.indexPackage(ref, target.arch(), found.holder().name(), img.sha256());
            pin(id, a, ref, found.holder().name(), img);
            log.accept("kernel " + id + ": stored " + img.header().release() + " as " + img.path());
            return img.resolved(id, a, ref.name(), ref.version());
        } finally {
            FileUtils.deleteQuietly(work.toFile());
        }
    }

    /**
     * Ubuntu keeps the config in {@code linux-modules-RELEASE} ({@code /boot/config-RELEASE}), not in the image
     * package: fetched and read when the suite has it; the package it came from, or null when there is none.
     */
    private String modulesConfig(AptTarget target, String release, Path work, Path config) throws IOException, AptException {
        String modules = "linux-modules-" + release;
        PackageRef ref;
        try {
            ref = archive.newest(target, modules);
        } catch (AptException e) {
            return null; // not Ubuntu's split packaging: no such package
        }
        Path deb = archive.download(target, ref, work.resolve("debs"));
        try {
            List<Path> got = DebArchive.extract(deb, n -> GuestKernelConfig.CONFIG_ENTRY.matcher(n).matches(), work.resolve("modules"));
            Optional<Path> file = got.stream().filter(Files::isRegularFile).findFirst();
            if (file.isEmpty()) return null;
            Files.move(file.get(), config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return modules;
        } finally {
            Files.deleteIfExists(deb);
        }
    }

    private static void checkPin(PackageRef ref, KernelStore.Image img, String pinnedSha) throws KernelIntegrityException {
        if (pinnedSha != null && !pinnedSha.equals(img.sha256())) throw mismatch(ref, img.sha256(), pinnedSha);
    }

    private static KernelIntegrityException mismatch(PackageRef ref, String actual, String pinned) {
        return new KernelIntegrityException(ref.name() + " " + ref.version() + " now holds an image with sha256 " + actual
                + " but kernels.lock pins " + pinned + " for that package version; refusing it (delete the entry from"
                + " kernels.lock to accept the new image)");
    }

    private void pin(String id, KernelSource.AptSource a, PackageRef ref, String imagePackage, KernelStore.Image img)
            throws IOException {
        lock.put(id, new KernelLock.Entry(a.describe(), ref.name(), ref.version(), imagePackage, img.sha256(),
                img.header().release(), clock.instant()));
    }

    /** The package that held the image, and whether it held the kernel's config too. */
    private record Found(PackageRef holder, boolean config) {}

    private Found findImage(AptTarget target, PackageRef ref, Path work, Path dest, Path config, int depth, List<String> tried)
            throws IOException, AptException {
        tried.add(ref.name());
        Path deb = archive.download(target, ref, work.resolve("debs"));
        try {
            Optional<PackageFormat.Extracted> x = PackageFormat.DEB.extract(deb, dest, config);
            if (x.isPresent()) return new Found(ref, x.get().config());
        } finally {
            Files.deleteIfExists(deb);
        }
        if (depth < MAX_DEPTH) {
            for (String dep : ref.depends()) {
                if (tried.contains(dep) || !KernelPackages.mayHoldImage(dep)) continue;
                PackageRef depRef = archive.newest(target, dep);
                try {
                    return findImage(target, depRef, work, dest, config, depth + 1, tried);
                } catch (NoImageException ignored) {
                    // try the next dependency
                }
            }
        }
        throw new NoImageException(target.describe() + ": " + String.join(", ", tried)
                + ": no kernel image in the package (no /boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz)");
    }

    private static final class NoImageException extends IOException {
        private static final long serialVersionUID = 1L;

        NoImageException(String message) { super(message); }
    }
}
