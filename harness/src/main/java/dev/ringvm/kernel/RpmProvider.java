package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code rpm:} a kernel RPM (kernel-core, kernel-default), the way {@code deb:} takes a .deb: a local file is read in
 * place (verified against sha256: when given, never pinned); a URL goes through the package cache, verified against
 * sha256: or else the kernels.lock pin. The image comes out of the payload ({@link RpmArchive}); the package name
 * and version recorded are the RPM header's NAME and VERSION-RELEASE.
 */
record RpmProvider(KernelStore store, DebProvider packages, KernelLock lock, Consumer<String> log)
        implements KernelProvider<KernelSource.RpmSource> {
    @Override
    public ResolvedKernel resolve(String id, KernelSource.RpmSource r, Arch arch, boolean ignoreLock)
            throws IOException, KernelUnavailableException, InterruptedException {
        String loc = r.location();
        if (!loc.matches("(?i)https?://.*")) {
            Path rpm = Path.of(loc);
            String sha = DebProvider.localSha(id, rpm, r.sha256());
            RpmArchive.Package p = RpmArchive.read(rpm);
            KernelStore.Image img = store.imageFromPackage(PackageFormat.RPM, id, rpm, sha, log);
            log.accept("kernel " + id + ": " + p.name() + " " + p.versionRelease() + " from " + rpm.getFileName());
            return img.resolved(id, r, p.name(), p.versionRelease());
        }
        URI uri = URI.create(loc);
        Optional<KernelLock.Entry> pin = lock.pin(id, r, ignoreLock, log);
        String expected = r.sha256() != null ? r.sha256() : pin.map(KernelLock.Entry::debSha256).orElse(null);
        String from = r.sha256() != null ? "kernels.yaml" : "kernels.lock";
        return packages.fromUrl(id, r, PackageFormat.RPM, uri, expected, from, DebProvider.fileName(uri), null);
    }
}
