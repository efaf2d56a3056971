package dev.ringvm.kernel;

import dev.ringvm.host.CacheDirs;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns a kernels.yaml entry into a bootable image. Path sources are used in place; apt sources go through
 * kernels.lock (a pinned, cached, verified image needs no network), else through the private apt repo:
 * newest matching package, download, extract the vmlinuz, store it as {@code <cache>/kernels/<sha256>/vmlinuz}
 * (temp file plus atomic rename, so concurrent runs are safe) and pin it in kernels.lock. Progress goes to the
 * given consumer; nothing is printed.
 */
public final class KernelResolver {

    /** Depends followed from an image package to the one that holds the vmlinuz (meta -> image -> linux-binary). */
    private static final int MAX_DEPTH = 2;

    private final Path cacheRoot;
    private final KernelLock lock;
    private final PackageArchive archive;
    private final Consumer<String> log;
    private final Clock clock;

    /**
     * @param cacheRoot the ringvm cache root ({@link CacheDirs#root(Path)})
     * @param lockFile  kernels.lock, normally {@link KernelLock#nextTo(Path)} of kernels.yaml
     * @param log       progress messages
     */
    public KernelResolver(Path cacheRoot, Path lockFile, Consumer<String> log) {
        this(cacheRoot, lockFile, new AptRepo(cacheRoot, log), log, Clock.systemUTC());
    }

    KernelResolver(Path cacheRoot, Path lockFile, PackageArchive archive, Consumer<String> log, Clock clock) {
        this.cacheRoot = cacheRoot.toAbsolutePath();
        this.lock = new KernelLock(lockFile);
        this.archive = archive;
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
                // TODO(issue 3): resolved by the deb/mainline/host/build work in progress; the loader does not
                // accept these kinds yet, so no kernels.yaml can reach this line
                case KernelSource.DebSource d -> throw new KernelUnavailableException("kernel " + id + ": deb sources are not supported yet");
                case KernelSource.MainlineSource m -> throw new KernelUnavailableException("kernel " + id + ": mainline sources are not supported yet");
                case KernelSource.HostSource h -> throw new KernelUnavailableException("kernel " + id + ": host sources are not supported yet");
                case KernelSource.BuildSource b -> throw new KernelUnavailableException("kernel " + id + ": build sources are not supported yet");
            };
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
        return new ResolvedKernel(id, p.describe(), image, sha256(image), bz.release(), bz.versionString(), null, null);
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
                if (sha256(cached).equals(e.sha256())) {
                    BzImage bz = BzImage.read(cached);
                    log.accept("kernel " + id + ": " + e.packageName() + " " + e.version() + " from kernels.lock (cached)");
                    return new ResolvedKernel(id, source, cached, e.sha256(), bz.release(), bz.versionString(), e.packageName(), e.version());
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
            String sha = sha256(extracted);
            BzImage bz = BzImage.read(extracted);
            Path stored = store(extracted, sha);
            writeIndex(ref, holder, sha);
            lock.put(id, new KernelLock.Entry(a.describe(), ref.name(), ref.version(), holder.name(), sha, bz.release(), clock.instant()));
            log.accept("kernel " + id + ": stored " + bz.release() + " as " + stored);
            return new ResolvedKernel(id, a.describe(), stored, sha, bz.release(), bz.versionString(), ref.name(), ref.version());
        } finally {
            AptRepo.deleteTree(work);
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
        if (!Files.isRegularFile(cached) || !sha256(cached).equals(f[0])) return Optional.empty();
        BzImage bz = BzImage.read(cached);
        lock.put(id, new KernelLock.Entry(a.describe(), ref.name(), ref.version(), f[1], f[0], bz.release(), clock.instant()));
        log.accept("kernel " + id + ": " + ref.name() + " " + ref.version() + " already in the cache");
        return Optional.of(new ResolvedKernel(id, a.describe(), cached, f[0], bz.release(), bz.versionString(), ref.name(), ref.version()));
    }

    private void writeIndex(PackageRef ref, PackageRef holder, String sha) throws IOException {
        Path index = indexFile(ref);
        Files.createDirectories(index.getParent());
        Path tmp = Files.createTempFile(index.getParent(), ".index-", ".tmp");
        try {
            Files.writeString(tmp, sha + " " + holder.name() + "\n");
            Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
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
                if (tried.contains(dep) || !mayHoldImage(dep)) continue;
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

    /** linux-binary-* (split packaging) or a versioned linux-image-* (what a meta package points at). */
    static boolean mayHoldImage(String pkg) {
        if (pkg.endsWith("-dbg") || pkg.contains("-unsigned")) return false;
        return pkg.startsWith("linux-binary-")
                || (pkg.startsWith("linux-image-") && pkg.length() > 12 && Character.isDigit(pkg.charAt(12)));
    }

    private static final class NoImageException extends IOException {
        NoImageException(String message) { super(message); }
    }

    /** Copies into {@code <cache>/kernels/<sha>/vmlinuz} via a temp file in the same directory and an atomic rename. */
    private Path store(Path file, String sha) throws IOException {
        Path target = CacheDirs.kernelImage(cacheRoot, sha);
        Files.createDirectories(target.getParent());
        if (Files.isRegularFile(target) && sha256(target).equals(sha)) return target;
        Path tmp = Files.createTempFile(target.getParent(), ".vmlinuz-", ".tmp");
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Hex sha256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
