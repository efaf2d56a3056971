package dev.ringvm.kernel;

import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * Debian and Ubuntu packages through apt, with a private apt setup per suite and archive ({@link AptDirectory}) so
 * neither the host's sources nor its pinning are read and the host's apt state is never written. The archive is the
 * source's own or the host's for the suite's distribution; its lists are checked against one keyring (the source's,
 * else the host's Signed-By for that archive, else the distribution's keyring); nothing here turns that off. One lock
 * per private directory ({@link AptLock}) serialises update, queries and downloads across processes.
 */
public final class AptRepo implements PackageArchive {

    public static final Duration DEFAULT_MAX_LIST_AGE = Duration.ofHours(6);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final AptDirectory dirs;
    private final AptLock lock;
    private final String mirrorOverride;
    private final List<String> hostAptOptions;
    private final Duration maxListAge;
    private final Duration timeout;
    private final Consumer<String> log;
    private volatile String hostIndexTargets;

    /** Defaults: archives from the host's apt sources, lists refreshed after 6 hours, 10 minute deadline per command. */
    public AptRepo(Path cacheRoot, Consumer<String> log) {
        this(cacheRoot, null, DEFAULT_MAX_LIST_AGE, DEFAULT_TIMEOUT, log);
    }

    /**
     * @param cacheRoot  ringvm cache root; apt state lives in {@code cacheRoot/apt}
     * @param mirrorUri  the archive for sources without their own, or null to ask the host's apt
     * @param maxListAge lists older than this are refreshed with apt-get update
     * @param timeout    deadline for each apt command
     * @param log        progress messages
     */
    public AptRepo(Path cacheRoot, String mirrorUri, Duration maxListAge, Duration timeout, Consumer<String> log) {
        this(cacheRoot, mirrorUri, List.of(), maxListAge, timeout, log);
    }

    /** @param hostAptOptions {@code -o} options for reading "the host's" sources (tests point them at their own) */
    AptRepo(Path cacheRoot, String mirrorUri, List<String> hostAptOptions, Duration maxListAge, Duration timeout,
            Consumer<String> log) {
        this.dirs = new AptDirectory(cacheRoot.resolve("apt"));
        this.lock = new AptLock(dirs);
        this.mirrorOverride = mirrorUri;
        this.hostAptOptions = List.copyOf(hostAptOptions);
        this.maxListAge = maxListAge;
        this.timeout = timeout;
        this.log = log;
    }

    /** Runs apt-get update for {@code suite} of the host's archive when its lists are missing or old. */
    public void ensureLists(String suite) throws AptException {
        ensureLists(AptTarget.host(suite));
    }

    /** Runs apt-get update for {@code t} when its lists are missing or older than the maximum age. */
    public void ensureLists(AptTarget t) throws AptException {
        withSuite(t, () -> {
            if (dirs.prepare(t.key(), sourcesLine(t))) {
                dirs.markStale(t.key()); // new or changed sources.list: the lists on disk are for another archive
            }
            if (dirs.hasLists(t.key()) && dirs.updated(t.key()).plus(maxListAge).isAfter(Instant.now())) {
                return null;
            }
            log.accept("apt: updating package lists for " + t.describe());
            long t0 = System.nanoTime();
            ProcessRunner.Result r = apt(t, "apt-get", List.of("update", "--error-on=any"), dirs.suiteDir(t.key()));
            if (!r.ok()) {
                throw failure(t, "apt-get update", r);
            }
            dirs.markUpdated(t.key(), Instant.now());
            log.accept("apt: " + t.describe() + " lists updated in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
            return null;
        });
    }

    /** The newest version of exactly {@code pkg} in {@code suite} of the host's archive. */
    public PackageRef newest(String suite, String pkg) throws AptException {
        return newest(AptTarget.host(suite), pkg);
    }

    @Override
    public PackageRef newest(AptTarget t, String pkg) throws AptException {
        List<PackageRef> all = show(t, List.of(pkg));
        return all.stream().max(Comparator.comparing(PackageRef::version, DebianVersion.ORDER))
                .orElseThrow(() -> new AptException("apt " + t.describe() + ": no package " + pkg));
    }

    /** {@link #newestKernelImage(AptTarget, String)} in {@code suite} of the host's archive. */
    public PackageRef newestKernelImage(String suite, String nameOrGlob) throws AptException {
        return newestKernelImage(AptTarget.host(suite), nameOrGlob);
    }

    /**
     * The newest kernel image package matching {@code nameOrGlob} (shell glob: {@code * ? [..]}). A glob skips
     * meta packages ({@code linux-image-cloud-amd64}: no version in the name) and {@code -dbg}/{@code -unsigned}
     * variants unless the glob itself asks for them. Newest is by package version, then by the kernel release in
     * the name, both in dpkg order (so 6.12.57 &lt; 6.12.117 and 6.x &lt; 7.x).
     */
    @Override
    public PackageRef newestKernelImage(AptTarget t, String nameOrGlob) throws AptException {
        ensureLists(t);
        List<String> names;
        if (KernelPackages.isGlob(nameOrGlob)) {
            Predicate<String> matches = KernelPackages.glob(nameOrGlob);
            names = pkgnames(t, KernelPackages.literalPrefix(nameOrGlob)).stream()
                    .filter(matches)
                    .filter(n -> !KernelPackages.isVariantOrMeta(n, nameOrGlob))
                    .sorted().toList();
            if (names.isEmpty()) {
                throw new AptException("apt " + t.describe() + ": no package matches " + nameOrGlob);
            }
        } else {
            names = List.of(nameOrGlob);
        }
        return show(t, names).stream().max(KernelPackages.NEWEST)
                .orElseThrow(() -> new AptException("apt " + t.describe() + ": no package matches " + nameOrGlob));
    }

    /** All versions of the named packages known in {@code t}, with their Depends. */
    @Override
    public List<PackageRef> show(AptTarget t, List<String> names) throws AptException {
        ensureLists(t);
        return withSuite(t, () -> {
            List<String> args = new ArrayList<>(List.of("show", "--all-versions"));
            args.addAll(names);
            ProcessRunner.Result r = apt(t, "apt-cache", args, dirs.suiteDir(t.key()));
            List<PackageRef> refs = AptStanzas.parseShow(r.stdout());
            if (!r.ok() && refs.isEmpty()) {
                throw failure(t, "apt-cache show " + String.join(" ", names), r);
            }
            return refs;
        });
    }

    /** Downloads {@code ref} from {@code suite} of the host's archive into {@code destDir}. */
    public Path download(String suite, PackageRef ref, Path destDir) throws AptException {
        return download(AptTarget.host(suite), ref, destDir);
    }

    /** Downloads {@code ref} into {@code destDir} (created if needed) and returns the .deb. */
    @Override
    public Path download(AptTarget t, PackageRef ref, Path destDir) throws AptException {
        ensureLists(t);
        return withSuite(t, () -> {
            Files.createDirectories(destDir);
            Path tmp = Files.createTempDirectory(destDir, ".download-");
            try {
                log.accept("apt: downloading " + ref.pinned() + " from " + t.describe());
                ProcessRunner.Result r = apt(t, "apt-get", List.of("download", ref.pinned()), tmp);
                if (!r.ok()) {
                    throw failure(t, "apt-get download " + ref.pinned(), r);
                }
                List<Path> debs;
                try (Stream<Path> s = Files.list(tmp)) {
                    debs = s.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
                }
                if (debs.size() != 1) {
                    throw new AptException("apt " + t.describe() + ": apt-get download " + ref.pinned() + " left " + debs.size() + " .deb files");
                }
                Path target = destDir.resolve(debs.getFirst().getFileName());
                AtomicFiles.rename(debs.getFirst(), target);
                return target;
            } finally {
                FileUtils.deleteQuietly(tmp.toFile()); // best effort: a leftover temp dir under the cache is harmless
            }
        });
    }

    /** The newest version of exactly {@code pkg} (for example linux-libc-dev), downloaded to {@code <cache>/apt/<suite>/debs/}. */
    public Path downloadPackage(String suite, String pkg) throws AptException {
        return download(suite, newest(suite, pkg), dirs.suiteDir(suite).resolve("debs"));
    }

    /** The mirror URI of this host's main Debian archive, as the host's apt reports it. */
    public static String hostMirror() throws AptException {
        return HostMirror.find();
    }

    /** Runs {@code body} holding the lock of {@code suite} of the host's archive; re-entrant within one thread. */
    <T> T withSuite(String suite, AptLock.Locked<T> body) throws AptException {
        return withSuite(AptTarget.host(suite), body);
    }

    /** Runs {@code body} holding the lock of {@code t}'s private directory; re-entrant within one thread. */
    <T> T withSuite(AptTarget t, AptLock.Locked<T> body) throws AptException {
        return lock.with(t.key(), body);
    }

    // --- apt invocation -------------------------------------------------------------------------------

    /**
     * The private sources.list line of {@code t}: its archive (or the host's for its distribution) and the keyring that
     * signs it. An archive named without a keyring gets its distribution's keyring when that is installed.
     */
    private String sourcesLine(AptTarget t) throws IOException, AptException {
        Optional<AptDistribution> dist = AptDistribution.ofSuite(t.suite());
        if (t.archive() != null) {
            Path keyring = t.keyring() != null ? t.keyring() : dist.map(d -> d.keyring).filter(Files::isRegularFile)
                    .orElseThrow(() -> new AptException("apt " + t.describe() + ": no keyring for this archive (give the"
                            + " kernel a keyring: naming the file that signs it" + dist.map(d -> ", like " + d.keyring).orElse("") + ")"));
            return AptDirectory.sourcesLine(t.archive(), t.suite(), keyring, t.components(), t.arch());
        }
        if (mirrorOverride != null) {
            Path keyring = t.keyring() != null ? t.keyring() : dist.orElse(AptDistribution.DEBIAN).keyring;
            return AptDirectory.sourcesLine(mirrorOverride, t.suite(), keyring, t.components(), t.arch());
        }
        HostMirror.HostArchive host = hostArchive(t, dist);
        Path keyring = t.keyring() != null ? t.keyring() : hostKeyring(t, host);
        return AptDirectory.sourcesLine(host.uri(), t.suite(), keyring, t.components(), t.arch());
    }

    /** The host's main archive for the suite's distribution (any main archive for a suite of no known distribution). */
    private HostMirror.HostArchive hostArchive(AptTarget t, Optional<AptDistribution> dist) throws AptException {
        String text = hostIndexTargets;
        if (text == null) hostIndexTargets = text = HostMirror.indexTargets(hostAptOptions);
        List<HostMirror.HostArchive> all = HostMirror.archives(text);
        if (dist.isEmpty()) {
            return HostMirror.archiveOf(text, AptDistribution.DEBIAN).or(() -> all.stream().findFirst())
                    .orElseThrow(() -> new AptException("apt " + t.suite() + ": no Debian or Ubuntu archive in the host's apt sources"
                            + " (give the kernel an archive: and a keyring:)"));
        }
        return HostMirror.archiveOf(text, dist.get()).orElseThrow(() -> new AptException("apt " + t.suite() + ": "
                + t.suite() + " is a suite of " + dist.get().displayName + ", but the host's apt sources name no "
                + dist.get().displayName + " archive" + (all.isEmpty() ? "" : " (they name " + all.getFirst().distribution().displayName
                + "'s at " + all.getFirst().uri() + ")") + "; give the kernel an archive: and a keyring:"));
    }

    /**
     * The keyring of the host's entry: its Signed-By file (or its embedded key, written next to the private
     * sources.list), else the distribution's keyring when it is installed.
     */
    private Path hostKeyring(AptTarget t, HostMirror.HostArchive host) throws IOException, AptException {
        Optional<HostMirror.SignedBy> signed = HostMirror.signedBy(host.sourcesEntry());
        if (signed.isPresent()) {
            Optional<Path> file = signed.get().files().stream().filter(Files::isRegularFile).findFirst();
            if (file.isPresent()) return file.get();
            if (signed.get().embeddedKey() != null) {
                Path asc = Files.createDirectories(dirs.suiteDir(t.key()).resolve("etc")).resolve("host-signed-by.asc");
                if (!Files.exists(asc) || !Files.readString(asc).equals(signed.get().embeddedKey())) {
                    AtomicFiles.write(asc, signed.get().embeddedKey());
                }
                return asc;
            }
        }
        Path keyring = host.distribution().keyring;
        if (!Files.isRegularFile(keyring)) {
            throw new AptException("apt " + t.suite() + ": the host's sources entry " + host.sourcesEntry()
                    + " names no keyring file and " + keyring + " is not installed (give the kernel a keyring:)");
        }
        return keyring;
    }

    private ProcessRunner.Result apt(AptTarget t, String tool, List<String> args, Path cwd) throws IOException, AptException {
        dirs.prepare(t.key(), sourcesLine(t));
        List<String> argv = new ArrayList<>();
        argv.add(tool);
        argv.addAll(AptDirectory.options(dirs.suiteDir(t.key()), t.arch()));
        argv.addAll(args);
        return ProcessRunner.run(argv, cwd, timeout);
    }

    /** Package names from {@code apt-cache pkgnames PREFIX}. */
    private List<String> pkgnames(AptTarget t, String prefix) throws AptException {
        return withSuite(t, () -> {
            ProcessRunner.Result r = apt(t, "apt-cache", List.of("pkgnames", prefix), dirs.suiteDir(t.key()));
            if (!r.ok()) throw failure(t, "apt-cache pkgnames " + prefix, r);
            return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        });
    }

    private static AptException failure(AptTarget t, String what, ProcessRunner.Result r) {
        String why = r.timedOut() ? "timed out" : "exit code " + r.exitCode();
        return new AptException("apt " + t.describe() + ": " + what + " failed (" + why + "): " + r.tail(4));
    }
}
