package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code mainline:} a prebuilt upstream kernel from Ubuntu's mainline archive (or a mirror of its layout): the
 * version's directory page names the image .deb, CHECKSUMS next to it its sha256; the .deb then goes the way of a
 * {@code deb:} URL. Pinned and cached, it needs no network.
 */
record MainlineProvider(HttpFetcher http, URI mainlineBase, KernelLock lock, KernelStore store, DebProvider debs,
                        Consumer<String> log) implements KernelProvider<KernelSource.MainlineSource> {
    @Override
    public ResolvedKernel resolve(String id, KernelSource.MainlineSource m, Arch arch, boolean ignoreLock)
            throws IOException, KernelUnavailableException, InterruptedException {
        Optional<KernelLock.Entry> pin = lock.pin(id, m, ignoreLock, log);
        if (pin.isPresent() && pin.get().url() != null && Files.isRegularFile(store.debPath(pin.get().debSha256()))) {
            // pinned and cached: no network needed
            return debs.fromUrl(id, m, PackageFormat.DEB, URI.create(pin.get().url()), pin.get().debSha256(), "kernels.lock",
                    pin.get().packageName(), m.version());
        }
        URI dir = null;
        String page = null;
        for (URI candidate : MainlineArchive.directories(mainlineBase, m.version(), arch)) {
            Optional<String> text = http.text(candidate);
            if (text.isPresent() && MainlineArchive.imageDeb(text.get(), arch).isPresent()) {
                dir = candidate;
                page = text.get();
                break;
            }
            if (text.isPresent() && page == null) {
                dir = candidate;
                page = text.get();
            }
        }
        if (page == null) {
            throw new KernelUnavailableException("kernel " + id + ": mainline " + m.version() + ": no such version at "
                    + mainlineBase + " (HTTP 404 for " + mainlineBase.resolve(m.version() + "/") + ")");
        }
        Optional<String> href = MainlineArchive.imageDeb(page, arch);
        if (href.isEmpty()) {
            throw new KernelUnavailableException("kernel " + id + ": mainline " + m.version()
                    + ": no linux-image-unsigned-*-generic_*_" + arch.debian() + ".deb linked from " + dir + " (the build may have failed)");
        }
        URI debUri = dir.resolve(href.get());
        String name = MainlineArchive.fileName(href.get());
        URI checksums = debUri.resolve("CHECKSUMS"); // published next to the .debs
        Optional<String> sums = http.text(checksums);
        String published = sums.map(MainlineArchive::sha256Sums).map(s -> s.get(name)).orElse(null);
        if (sums.isPresent() && published == null) {
            log.accept("kernel " + id + ": " + checksums + " has no sha256 for " + name);
        }
        String expected = published != null ? published : pin.map(KernelLock.Entry::debSha256).orElse(null);
        String from = published != null ? checksums.toString() : "kernels.lock";
        log.accept("kernel " + id + ": mainline " + m.version() + " -> " + name
                + (published != null ? " (sha256 from CHECKSUMS)" : sums.isEmpty() ? " (no CHECKSUMS published)" : ""));
        return debs.fromUrl(id, m, PackageFormat.DEB, debUri, expected, from, name, m.version());
    }
}
