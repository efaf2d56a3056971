package dev.ringvm.kernel;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Turns a kernels.yaml entry into a bootable image: one {@link KernelProvider} per source kind, picked by an
 * exhaustive switch over the sealed {@link KernelSource}. Path sources are used in place; apt, deb and mainline
 * sources (and rpm) go through the content-addressed {@link KernelStore} and are pinned in {@link KernelLock} (a pinned, cached,
 * verified image needs no network); host sources describe the running kernel (no image); build sources go through the
 * injected {@link KernelImageBuilder}. Every image's version, architecture and page size come from its own header
 * (bzImage or arm64 Image), and an architecture other than the entry's {@code arch:} is refused. Progress goes to the
 * given consumer; nothing is printed.
 */
public final class KernelResolver {

    private final PathProvider paths = new PathProvider();
    private final AptProvider apt;
    private final DebProvider debs;
    private final RpmProvider rpms;
    private final MainlineProvider mainline;
    private final HostProvider host = new HostProvider();
    private final BuildProvider builds;

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
        this(cacheRoot, lockFile, builder, mainlineBase, HttpFetcher.DEFAULT_MAX_BYTES, log);
    }

    /** @param maxDownloadBytes the largest .deb or page a download may bring ({@code --max-download}) */
    public KernelResolver(Path cacheRoot, Path lockFile, KernelImageBuilder builder, URI mainlineBase,
                          long maxDownloadBytes, Consumer<String> log) {
        this(cacheRoot, lockFile, new AptRepo(cacheRoot, log), builder, mainlineBase,
                HttpFetcher.limitedTo(maxDownloadBytes), log, Clock.systemUTC());
    }

    /** The download limit when none is given: {@value #DEFAULT_MAX_DOWNLOAD_BYTES} bytes (1 GiB). */
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = HttpFetcher.DEFAULT_MAX_BYTES;

    KernelResolver(Path cacheRoot, Path lockFile, PackageArchive archive, Consumer<String> log, Clock clock) {
        this(cacheRoot, lockFile, archive, null, MainlineArchive.base(MainlineArchive.DEFAULT_BASE), new HttpFetcher(), log, clock);
    }

    KernelResolver(Path cacheRoot, Path lockFile, PackageArchive archive, KernelImageBuilder builder, URI mainlineBase,
                   HttpFetcher http, Consumer<String> log, Clock clock) {
        KernelStore store = new KernelStore(cacheRoot);
        KernelLock lock = new KernelLock(lockFile);
        this.apt = new AptProvider(archive, store, lock, log, clock);
        this.debs = new DebProvider(store, http, lock, log, clock);
        this.rpms = new RpmProvider(store, debs, lock, log);
        this.mainline = new MainlineProvider(http, mainlineBase, lock, store, debs, log);
        this.builds = new BuildProvider(builder, log);
    }

    /** Resolves {@code entry}, honouring kernels.lock. */
    public ResolvedKernel resolve(KernelEntry entry) throws KernelUnavailableException {
        return resolve(entry, false);
    }

    /** Resolves {@code entry}; with {@code ignoreLock} a pinned source is resolved anew and its pin replaced. */
    public ResolvedKernel resolve(KernelEntry entry, boolean ignoreLock) throws KernelUnavailableException {
        String id = entry.id();
        ResolvedKernel k;
        try {
            k = switch (entry.source()) {
                case KernelSource.PathSource p -> paths.resolve(id, p, entry.arch(), ignoreLock);
                case KernelSource.AptSource a -> apt.resolve(id, a, entry.arch(), ignoreLock);
                case KernelSource.DebSource d -> debs.resolve(id, d, entry.arch(), ignoreLock);
                case KernelSource.RpmSource r -> rpms.resolve(id, r, entry.arch(), ignoreLock);
                case KernelSource.MainlineSource m -> mainline.resolve(id, m, entry.arch(), ignoreLock);
                case KernelSource.HostSource h -> host.resolve(id, h, entry.arch(), ignoreLock);
                case KernelSource.BuildSource b -> builds.resolve(id, b, entry.arch(), ignoreLock);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelUnavailableException("kernel " + id + ": interrupted", e);
        } catch (KernelIntegrityException e) {
            throw new KernelUnavailableException("kernel " + id + ": " + oneLine(e.getMessage()), e, true);
        } catch (IOException | AptException e) {
            throw new KernelUnavailableException("kernel " + id + ": " + oneLine(e.getMessage()), e);
        }
        checkArch(entry, k);
        return k;
    }

    /**
     * Refuses an image whose header names another architecture than the entry's {@code arch:} (an arm64 entry given a
     * bzImage, or the reverse): booting it with the other QEMU would only hang.
     */
    static void checkArch(KernelEntry entry, ResolvedKernel k) throws KernelUnavailableException {
        if (k.onHost() || k.arch() == entry.arch()) return;
        throw KernelUnavailableException.integrity("kernel " + entry.id() + ": " + k.image() + " is an " + k.arch().id()
                + " kernel image (" + (k.arch() == dev.ringvm.config.Arch.ARM64 ? "arm64 Image, " + k.pageKiB() + "K pages"
                : "bzImage") + ") but kernels.yaml says arch: " + entry.arch().id()
                + (entry.arch() == dev.ringvm.config.Arch.DEFAULT ? " (the default)" : ""));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
