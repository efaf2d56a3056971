package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code deb:} a kernel .deb. A local file is read in place (verified against sha256: when given, never pinned: it is
 * the user's file); a URL goes through the .deb cache, verified against sha256: or else the kernels.lock pin.
 * {@link #fromUrl} also serves mainline kernels, which are .debs at a URL too, and RPMs at a URL.
 */
record DebProvider(KernelStore store, HttpFetcher http, KernelLock lock, Consumer<String> log, Clock clock)
        implements KernelProvider<KernelSource.DebSource> {
    @Override
    public ResolvedKernel resolve(String id, KernelSource.DebSource d, Arch arch, boolean ignoreLock)
            throws IOException, KernelUnavailableException, InterruptedException {
        String loc = d.location();
        if (!loc.matches("(?i)https?://.*")) {
            Path deb = Path.of(loc);
            String sha = localSha(id, deb, d.sha256());
            return store.imageFromDeb(id, deb, sha, log).resolved(id, d, deb.getFileName().toString(), null);
        }
        URI uri = URI.create(loc);
        Optional<KernelLock.Entry> pin = lock.pin(id, d, ignoreLock, log);
        String expected = d.sha256() != null ? d.sha256() : pin.map(KernelLock.Entry::debSha256).orElse(null);
        String from = d.sha256() != null ? "kernels.yaml" : "kernels.lock";
        return fromUrl(id, d, PackageFormat.DEB, uri, expected, from, fileName(uri), null);
    }

    /**
     * The sha256 of a local package file (a {@code deb:} or {@code rpm:} path, read in place), refused when it differs
     * from the one kernels.yaml gives ({@code expected}, null when none).
     */
    static String localSha(String id, Path file, String expected) throws IOException, KernelUnavailableException {
        if (!Files.isRegularFile(file)) throw new IOException("no such file " + file);
        String sha = Sha256.hex(file);
        if (expected != null && !expected.equals(sha)) throw mismatch(id, file.toString(), sha, expected, "kernels.yaml");
        return sha;
    }

    /**
     * The .deb at {@code uri}: from the cache when its expected sha256 is known and cached, else downloaded to a
     * temp file, verified, and renamed into the cache. Pins the result in kernels.lock.
     *
     * @param expected the sha256 the .deb must have, or null (first download: it becomes the pin)
     * @param from     where {@code expected} came from, for the mismatch message
     */
    ResolvedKernel fromUrl(String id, KernelSource source, PackageFormat format, URI uri, String expected, String from,
                           String packageName, String version) throws IOException, KernelUnavailableException, InterruptedException {
        String debSha;
        KernelStore.Image img;
        if (expected != null && store.hasPackage(format, expected)) {
            debSha = expected;
            log.accept("kernel " + id + ": " + packageName + " (sha256 " + expected.substring(0, 12) + ") already in the cache");
            img = store.imageFromPackage(format, id, store.packagePath(format, debSha), debSha, log);
        } else {
            if (expected != null && store.dropDamagedPackage(format, expected)) {
                log.accept("kernel " + id + ": cached " + store.packagePath(format, expected) + " does not match its sha256; downloading it again");
            }
            HttpFetcher.Download dl = http.download(uri, store.tmp(), "kernel " + id, log);
            try {
                if (expected != null && !expected.equals(dl.sha256())) {
                    throw mismatch(id, uri.toString(), dl.sha256(), expected, from);
                }
                debSha = dl.sha256();
                // a package holding a kernel image, verified while it is still a temp file: nothing else reaches the cache
                img = store.imageFromPackage(format, id, dl.file(), debSha, log);
                AtomicFiles.rename(dl.file(), store.packagePath(format, debSha));
            } finally {
                Files.deleteIfExists(dl.file());
            }
        }
        Path pkg = store.packagePath(format, debSha);
        if (format == PackageFormat.RPM) {
            RpmArchive.Package p = RpmArchive.read(pkg);
            packageName = p.name();
            version = p.versionRelease();
        }
        lock.put(id, new KernelLock.Entry(source.describe(), packageName, version, null, img.sha256(), img.header().release(),
                clock.instant(), debSha, uri.toString()));
        return img.resolved(id, source, packageName, version);
    }

    static KernelUnavailableException mismatch(String id, String what, String actual, String expected, String from) {
        return KernelUnavailableException.integrity("kernel " + id + ": " + what + " has sha256 " + actual + " but " + from
                + " expects " + expected + "; refusing it"
                + (from.equals("kernels.lock") ? " (delete the entry from kernels.lock to accept the new file)" : ""));
    }

    static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? uri.toString() : name;
    }
}
