package dev.ringvm.kernel;

import dev.ringvm.host.AtomicFiles;

import org.apache.commons.io.FileUtils;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import dev.ringvm.host.CacheDirs;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns a kernels.yaml entry into a bootable image. Path sources are used in place; apt sources go through
 * kernels.lock (a pinned, cached, verified image needs no network), else through the private apt repo:
 * newest matching package, download, extract the vmlinuz, store it as {@code <cache>/kernels/<sha256>/vmlinuz}
 * (temp file plus atomic rename, so concurrent runs are safe) and pin it in kernels.lock. Progress goes to the
 * given consumer; nothing is printed. deb and mainline sources download a .deb over HTTP(S) ({@link HttpFetcher}),
 * verified by a given or published sha256 or else pinned in kernels.lock; host sources describe the running
 * kernel (no image); build sources go through the injected {@link KernelImageBuilder}. Every image's version
 * comes from its own bzImage header.
 */
public final class KernelResolver {

    /** Depends followed from an image package to the one that holds the vmlinuz (meta -> image -> linux-binary). */
    private static final int MAX_DEPTH = 2;

    private final Path cacheRoot;
    private final KernelLock lock;
    private final PackageArchive archive;
    private final Consumer<String> log;
    private final Clock clock;
    private final KernelImageBuilder builder;
    private final URI mainlineBase;
    private final HttpFetcher http;

    /**
     * Without a kernel builder: {@code build:} sources are unavailable ("no kernel builder configured").
     *
     * @param cacheRoot the ringvm cache root ({@link CacheDirs#root(Path)})
     * @param lockFile  kernels.lock, normally {@link KernelLock#nextTo(Path)} of kernels.yaml
     * @param log       progress messages
     */
    public KernelResolver(Path cacheRoot, Path lockFile, Consumer<String> log) {
        this(cacheRoot, lockFile, null, MainlineArchive.base(MainlineArchive.DEFAULT_BASE), log);
    }

    /**
     * @param builder      builds {@code build:} sources; null makes them unavailable
     * @param mainlineBase Ubuntu's mainline archive, or a mirror of its layout ({@code --mainline-base})
     */
    public KernelResolver(Path cacheRoot, Path lockFile, KernelImageBuilder builder, URI mainlineBase, Consumer<String> log) {
        this(cacheRoot, lockFile, new AptRepo(cacheRoot, log), builder, mainlineBase, new HttpFetcher(), log, Clock.systemUTC());
    }

    KernelResolver(Path cacheRoot, Path lockFile, PackageArchive archive, Consumer<String> log, Clock clock) {
        this(cacheRoot, lockFile, archive, null, MainlineArchive.base(MainlineArchive.DEFAULT_BASE), new HttpFetcher(), log, clock);
    }

    KernelResolver(Path cacheRoot, Path lockFile, PackageArchive archive, KernelImageBuilder builder, URI mainlineBase,
                   HttpFetcher http, Consumer<String> log, Clock clock) {
        this.cacheRoot = cacheRoot.toAbsolutePath();
        this.lock = new KernelLock(lockFile);
        this.archive = archive;
        this.builder = builder;
        this.mainlineBase = mainlineBase;
        this.http = http;
        this.log = log;
        this.clock = clock;
    }

    /** Resolves {@code entry}, honouring kernels.lock. */
    public ResolvedKernel resolve(KernelEntry entry) throws KernelUnavailableException {
        return resolve(entry, false);
    }

    /** Resolves {@code entry}; with {@code ignoreLock} an apt source is resolved anew and its pin replaced. */
    public ResolvedKernel resolve(KernelEntry entry, boolean ignoreLock) throws KernelUnavailableException {
        String id = entry.id();
        try {
            return switch (entry.source()) {
                case KernelSource.PathSource p -> fromPath(id, p);
                case KernelSource.AptSource a -> fromApt(id, a, ignoreLock);
                case KernelSource.DebSource d -> fromDeb(id, d, ignoreLock);
                case KernelSource.MainlineSource m -> fromMainline(id, m, ignoreLock);
                case KernelSource.HostSource h -> fromHost(id, h);
                case KernelSource.BuildSource b -> fromBuild(id, b);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelUnavailableException("kernel " + id + ": interrupted", e);
        } catch (IOException e) {
            throw new KernelUnavailableException("kernel " + id + ": " + oneLine(e.getMessage()), e);
        } catch (AptException e) {
            throw new KernelUnavailableException("kernel " + id + ": " + oneLine(e.getMessage()), e);
        }
    }

    private ResolvedKernel fromPath(String id, KernelSource.PathSource p) throws IOException {
        Path image = p.path().toAbsolutePath();
        if (!Files.isRegularFile(image)) {
            throw new IOException("no such file " + image);
        }
        BzImage bz = BzImage.read(image);
        return new ResolvedKernel(id, p, image, Sha256.hex(image), bz.release(), bz.versionString(), null, null);
    }

    private ResolvedKernel fromApt(String id, KernelSource.AptSource a, boolean ignoreLock) throws IOException, AptException {
        String source = a.describe();
        Optional<KernelLock.Entry> pin = ignoreLock ? Optional.empty() : lock.get(id).filter(e -> source.equals(e.source()));
        if (!ignoreLock && pin.isEmpty() && lock.get(id).isPresent()) {
            log.accept("kernel " + id + ": source changed since kernels.lock was written; resolving anew");
        }
        if (pin.isPresent()) {
            KernelLock.Entry e = pin.get();
            Path cached = CacheDirs.kernelImage(cacheRoot, e.sha256());
            if (Files.isRegularFile(cached)) {
                if (Sha256.hex(cached).equals(e.sha256())) {
                    BzImage bz = BzImage.read(cached);
                    log.accept("kernel " + id + ": " + e.packageName() + " " + e.version() + " from kernels.lock (cached)");
                    return new ResolvedKernel(id, a, cached, e.sha256(), bz.release(), bz.versionString(), e.packageName(), e.version());
                }
                log.accept("kernel " + id + ": cached image " + cached + " does not match its sha256; fetching again");
                Files.deleteIfExists(cached);
            }
            Optional<PackageRef> pinned = archive.show(a.suite(), List.of(e.packageName())).stream()
                    .filter(r -> r.version().equals(e.version())).findFirst();
            if (pinned.isPresent()) {
                log.accept("kernel " + id + ": fetching pinned " + e.packageName() + " " + e.version());
                ResolvedKernel k = fetch(id, a, pinned.get());
                if (!k.sha256().equals(e.sha256())) {
                    log.accept("kernel " + id + ": pinned " + e.packageName() + " " + e.version() + " now has sha256 "
                            + k.sha256() + " (kernels.lock had " + e.sha256() + "); kernels.lock updated");
                }
                return k;
            }
            log.accept("kernel " + id + ": pinned " + e.packageName() + " " + e.version() + " is no longer in "
                    + a.suite() + "; resolving anew and updating kernels.lock");
        }
        PackageRef ref = archive.newestKernelImage(a.suite(), a.pkg());
        log.accept("kernel " + id + ": " + a.pkg() + " @ " + a.suite() + " -> " + ref.name() + " " + ref.version());
        return fetch(id, a, ref);
    }

    /** Downloads {@code ref} (following its Depends to the package holding the vmlinuz), stores and pins the image. */
    private ResolvedKernel fetch(String id, KernelSource.AptSource a, PackageRef ref) throws IOException, AptException {
        Optional<ResolvedKernel> known = fromPackageIndex(id, a, ref);
        if (known.isPresent()) return known.get();
        Path tmpRoot = Files.createDirectories(cacheRoot.resolve("tmp"));
        Path work = Files.createTempDirectory(tmpRoot, "fetch-" + id + "-");
        try {
            Path extracted = work.resolve("vmlinuz");
            PackageRef holder = findImage(a.suite(), ref, work, extracted, 0, new ArrayList<>());
            String sha = Sha256.hex(extracted);
            BzImage bz = BzImage.read(extracted);
            Path stored = store(extracted, sha);
            writeIndex(ref, holder, sha);
            lock.put(id, new KernelLock.Entry(a.describe(), ref.name(), ref.version(), holder.name(), sha, bz.release(), clock.instant()));
            log.accept("kernel " + id + ": stored " + bz.release() + " as " + stored);
            return new ResolvedKernel(id, a, stored, sha, bz.release(), bz.versionString(), ref.name(), ref.version());
        } finally {
            FileUtils.deleteQuietly(work.toFile());
        }
    }

    /**
     * {@code <cache>/kernels/by-package/NAME_VERSION}: "sha256 imagePackage" of an image already extracted from
     * that package version, so another kernels.lock (or none) reuses the cached image without a download.
     */
    Path indexFile(PackageRef ref) {
        String key = (ref.name() + "_" + ref.version()).replaceAll("[^A-Za-z0-9.+~_-]", "%");
        return cacheRoot.resolve("kernels").resolve("by-package").resolve(key);
    }

    private Optional<ResolvedKernel> fromPackageIndex(String id, KernelSource.AptSource a, PackageRef ref) throws IOException {
        Path index = indexFile(ref);
        if (!Files.isRegularFile(index)) return Optional.empty();
        String[] f = Files.readString(index).strip().split("\\s+");
        if (f.length != 2 || !f[0].matches("[0-9a-f]{64}")) return Optional.empty();
        Path cached = CacheDirs.kernelImage(cacheRoot, f[0]);
        if (!Files.isRegularFile(cached) || !Sha256.hex(cached).equals(f[0])) return Optional.empty();
        BzImage bz = BzImage.read(cached);
        lock.put(id, new KernelLock.Entry(a.describe(), ref.name(), ref.version(), f[1], f[0], bz.release(), clock.instant()));
        log.accept("kernel " + id + ": " + ref.name() + " " + ref.version() + " already in the cache");
        return Optional.of(new ResolvedKernel(id, a, cached, f[0], bz.release(), bz.versionString(), ref.name(), ref.version()));
    }

    private void writeIndex(PackageRef ref, PackageRef holder, String sha) throws IOException {
        AtomicFiles.write(indexFile(ref), sha + " " + holder.name() + "\n");
    }

    private PackageRef findImage(String suite, PackageRef ref, Path work, Path dest, int depth, List<String> tried)
            throws IOException, AptException {
        tried.add(ref.name());
        Path deb = archive.download(suite, ref, work.resolve("debs"));
        try {
            if (DebArchive.extractKernelImage(deb, dest).isPresent()) return ref;
        } finally {
            Files.deleteIfExists(deb);
        }
        if (depth < MAX_DEPTH) {
            for (String dep : ref.depends()) {
                if (tried.contains(dep) || !KernelPackages.mayHoldImage(dep)) continue;
                PackageRef depRef = archive.newest(suite, dep);
                try {
                    return findImage(suite, depRef, work, dest, depth + 1, tried);
                } catch (NoImageException ignored) {
                    // try the next dependency
                }
            }
        }
        throw new NoImageException(suite + ": " + String.join(", ", tried)
                + ": no kernel image in the package (no /boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz)");
    }


    private static final class NoImageException extends IOException {
        NoImageException(String message) { super(message); }
    }

    /** Copies into {@code <cache>/kernels/<sha>/vmlinuz} via a temp file in the same directory and an atomic rename. */
    private Path store(Path file, String sha) throws IOException {
        Path target = CacheDirs.kernelImage(cacheRoot, sha);
        Files.createDirectories(target.getParent());
        if (Files.isRegularFile(target) && Sha256.hex(target).equals(sha)) return target;
        AtomicFiles.copy(file, target);
        return target;
    }

    // --- deb, mainline, host, build ---------------------------------------------------------------------

    /** Host kernel facts: {@code uname -r} and the whole {@code /proc/version}. */
    static final Path HOST_RELEASE = Path.of("/proc/sys/kernel/osrelease");
    static final Path HOST_VERSION = Path.of("/proc/version");

    private ResolvedKernel fromHost(String id, KernelSource.HostSource h) throws IOException {
        String release = Files.readString(HOST_RELEASE).strip();
        String version = Files.isReadable(HOST_VERSION) ? Files.readString(HOST_VERSION).strip() : release;
        return new ResolvedKernel(id, h, null, null, release, version, null, null);
    }

    private ResolvedKernel fromBuild(String id, KernelSource.BuildSource b) throws IOException, KernelUnavailableException {
        if (builder == null) {
            throw new KernelUnavailableException("kernel " + id + ": no kernel builder configured (" + b.describe() + ")");
        }
        Path image = builder.build(id, b, log).toAbsolutePath();
        BzImage bz = BzImage.read(image);
        return new ResolvedKernel(id, b, image, Sha256.hex(image), bz.release(), bz.versionString(), null, null);
    }

    /**
     * A local .deb is read in place (verified against sha256: when given, never pinned: it is the user's file);
     * a URL goes through the .deb cache, verified against sha256: or else the kernels.lock pin.
     */
    private ResolvedKernel fromDeb(String id, KernelSource.DebSource d, boolean ignoreLock)
            throws IOException, KernelUnavailableException, InterruptedException {
        String loc = d.location();
        if (!loc.matches("(?i)https?://.*")) {
            Path deb = Path.of(loc);
            if (!Files.isRegularFile(deb)) throw new IOException("no such file " + deb);
            String sha = Sha256.hex(deb);
            if (d.sha256() != null && !d.sha256().equals(sha)) {
                throw mismatch(id, loc, sha, d.sha256(), "kernels.yaml");
            }
            Image img = imageFromDeb(id, deb, sha);
            return new ResolvedKernel(id, d, img.path, img.sha256, img.bz.release(), img.bz.versionString(),
                    deb.getFileName().toString(), null);
        }
        URI uri = URI.create(loc);
        Optional<KernelLock.Entry> pin = pin(id, d.describe(), ignoreLock);
        String expected = d.sha256() != null ? d.sha256() : pin.map(KernelLock.Entry::debSha256).orElse(null);
        String from = d.sha256() != null ? "kernels.yaml" : "kernels.lock";
        return fromUrl(id, d, uri, expected, from, fileName(uri), null);
    }

    private ResolvedKernel fromMainline(String id, KernelSource.MainlineSource m, boolean ignoreLock)
            throws IOException, KernelUnavailableException, InterruptedException {
        String source = m.describe();
        Optional<KernelLock.Entry> pin = pin(id, source, ignoreLock);
        if (pin.isPresent() && pin.get().url() != null && Files.isRegularFile(debCache(pin.get().debSha256()))) {
            // pinned and cached: no network needed
            return fromUrl(id, m, URI.create(pin.get().url()), pin.get().debSha256(), "kernels.lock",
                    pin.get().packageName(), m.version());
        }
        URI dir = null;
        String page = null;
        for (URI candidate : MainlineArchive.directories(mainlineBase, m.version())) {
            Optional<String> text = http.text(candidate);
            if (text.isPresent() && MainlineArchive.imageDeb(text.get()).isPresent()) {
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
        Optional<String> href = MainlineArchive.imageDeb(page);
        if (href.isEmpty()) {
            throw new KernelUnavailableException("kernel " + id + ": mainline " + m.version()
                    + ": no linux-image-unsigned-*-generic_*_amd64.deb linked from " + dir + " (the build may have failed)");
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
        return fromUrl(id, m, debUri, expected, from, name, m.version());
    }

    private Optional<KernelLock.Entry> pin(String id, String source, boolean ignoreLock) throws IOException {
        if (ignoreLock) return Optional.empty();
        Optional<KernelLock.Entry> any = lock.get(id);
        Optional<KernelLock.Entry> pin = any.filter(e -> source.equals(e.source()) && e.debSha256() != null);
        if (pin.isEmpty() && any.isPresent()) {
            log.accept("kernel " + id + ": source changed since kernels.lock was written; resolving anew");
        }
        return pin;
    }

    /**
     * The .deb at {@code uri}: from the cache when its expected sha256 is known and cached, else downloaded to a
     * temp file, verified, and renamed into {@code <cache>/debs/<sha256>.deb}. Pins the result in kernels.lock.
     *
     * @param expected the sha256 the .deb must have, or null (first download: it becomes the pin)
     * @param from     where {@code expected} came from, for the mismatch message
     */
    private ResolvedKernel fromUrl(String id, KernelSource source, URI uri, String expected, String from, String packageName,
                                   String version) throws IOException, KernelUnavailableException, InterruptedException {
        String debSha;
        Path deb = expected == null ? null : debCache(expected);
        if (deb != null && Files.isRegularFile(deb) && Sha256.hex(deb).equals(expected)) {
            debSha = expected;
            log.accept("kernel " + id + ": " + packageName + " (sha256 " + expected.substring(0, 12) + ") already in the cache");
        } else {
            HttpFetcher.Download dl = http.download(uri, cacheRoot.resolve("tmp"), "kernel " + id, log);
            try {
                if (expected != null && !expected.equals(dl.sha256())) {
                    throw mismatch(id, uri.toString(), dl.sha256(), expected, from);
                }
                debSha = dl.sha256();
                deb = debCache(debSha);
                AtomicFiles.rename(dl.file(), deb);
            } finally {
                Files.deleteIfExists(dl.file());
            }
        }
        Image img = imageFromDeb(id, deb, debSha);
        lock.put(id, new KernelLock.Entry(source.describe(), packageName, version, null, img.sha256, img.bz.release(), clock.instant(),
                debSha, uri.toString()));
        return new ResolvedKernel(id, source, img.path, img.sha256, img.bz.release(), img.bz.versionString(), packageName, version);
    }

    private static KernelUnavailableException mismatch(String id, String what, String actual, String expected, String from) {
        return new KernelUnavailableException("kernel " + id + ": " + what + " has sha256 " + actual + " but " + from
                + " expects " + expected + "; refusing it"
                + (from.equals("kernels.lock") ? " (delete the entry from kernels.lock to accept the new file)" : ""));
    }

    /** {@code <cache>/debs/<sha256>.deb}: downloaded .debs, content-addressed. */
    Path debCache(String sha) {
        return cacheRoot.resolve("debs").resolve(sha + ".deb");
    }

    private record Image(Path path, String sha256, BzImage bz) {}

    /**
     * The vmlinuz inside a .deb, stored as {@code <cache>/kernels/<sha>/vmlinuz}; {@code kernels/by-deb/<debSha>}
     * remembers which image a .deb held, so a cached .deb is not extracted again.
     */
    private Image imageFromDeb(String id, Path deb, String debSha) throws IOException {
        Path index = cacheRoot.resolve("kernels").resolve("by-deb").resolve(debSha);
        if (Files.isRegularFile(index)) {
            String sha = Files.readString(index).strip();
            Path cached = CacheDirs.kernelImage(cacheRoot, sha);
            if (sha.matches("[0-9a-f]{64}") && Files.isRegularFile(cached) && Sha256.hex(cached).equals(sha)) {
                return new Image(cached, sha, BzImage.read(cached));
            }
        }
        Path work = Files.createTempDirectory(Files.createDirectories(cacheRoot.resolve("tmp")), "deb-" + id + "-");
        try {
            Path extracted = work.resolve("vmlinuz");
            if (DebArchive.extractKernelImage(deb, extracted).isEmpty()) {
                throw new IOException(deb.getFileName() + ": no kernel image in the package (no /boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz)");
            }
            String sha = Sha256.hex(extracted);
            BzImage bz = BzImage.read(extracted);
            Path stored = store(extracted, sha);
            AtomicFiles.write(index, sha + "\n");
            log.accept("kernel " + id + ": stored " + bz.release() + " as " + stored);
            return new Image(stored, sha, bz);
        } finally {
            FileUtils.deleteQuietly(work.toFile());
        }
    }

    private static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? uri.toString() : name;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
