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
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * Debian packages through apt, with a private apt setup per suite ({@link AptDirectory}) so neither the host's
 * sources nor its pinning are read and the host's apt state is never written. Signatures are checked against the
 * Debian archive keyring; nothing here turns that off. One lock per suite ({@link AptLock}) serialises update,
 * queries and downloads across processes.
 */
public final class AptRepo implements PackageArchive {

    public static final Duration DEFAULT_MAX_LIST_AGE = Duration.ofHours(6);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final AptDirectory dirs;
    private final AptLock lock;
    private final String mirrorOverride;
    private final Duration maxListAge;
    private final Duration timeout;
    private final Consumer<String> log;
    private volatile String hostMirror;

    /** Defaults: mirror from the host's apt sources, lists refreshed after 6 hours, 10 minute deadline per command. */
    public AptRepo(Path cacheRoot, Consumer<String> log) {
        this(cacheRoot, null, DEFAULT_MAX_LIST_AGE, DEFAULT_TIMEOUT, log);
    }

    /**
     * @param cacheRoot  ringvm cache root; apt state lives in {@code cacheRoot/apt}
     * @param mirrorUri  Debian mirror URI, or null to ask the host's apt ({@link #hostMirror()})
     * @param maxListAge lists older than this are refreshed with apt-get update
     * @param timeout    deadline for each apt command
     * @param log        progress messages
     */
    public AptRepo(Path cacheRoot, String mirrorUri, Duration maxListAge, Duration timeout, Consumer<String> log) {
        this.dirs = new AptDirectory(cacheRoot.resolve("apt"));
        this.lock = new AptLock(dirs);
        this.mirrorOverride = mirrorUri;
        this.maxListAge = maxListAge;
        this.timeout = timeout;
        this.log = log;
    }

    /** Runs apt-get update for {@code suite} when its lists are missing or older than the maximum age. */
    public void ensureLists(String suite) throws AptException {
        withSuite(suite, () -> {
            if (dirs.prepare(suite, mirror())) {
                dirs.markStale(suite); // new or changed sources.list: the lists on disk are for another mirror
            }
            if (dirs.hasLists(suite) && dirs.updated(suite).plus(maxListAge).isAfter(Instant.now())) {
                return null;
            }
            log.accept("apt: updating package lists for " + suite);
            long t0 = System.nanoTime();
            ProcessRunner.Result r = apt(suite, "apt-get", List.of("update", "--error-on=any"), dirs.suiteDir(suite));
            if (!r.ok()) {
                throw failure(suite, "apt-get update", r);
            }
            dirs.markUpdated(suite, Instant.now());
            log.accept("apt: " + suite + " lists updated in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
            return null;
        });
    }

    /** The newest version of exactly {@code pkg} in {@code suite}. */
    public PackageRef newest(String suite, String pkg) throws AptException {
        List<PackageRef> all = show(suite, List.of(pkg));
        return all.stream().max(Comparator.comparing(PackageRef::version, DebianVersion.ORDER))
                .orElseThrow(() -> new AptException("apt " + suite + ": no package " + pkg));
    }

    /**
     * The newest kernel image package matching {@code nameOrGlob} (shell glob: {@code * ? [..]}). A glob skips
     * meta packages ({@code linux-image-cloud-amd64}: no version in the name) and {@code -dbg}/{@code -unsigned}
     * variants unless the glob itself asks for them. Newest is by package version, then by the kernel release in
     * the name, both in dpkg order (so 6.12.57 &lt; 6.12.117 and 6.x &lt; 7.x).
     */
    public PackageRef newestKernelImage(String suite, String nameOrGlob) throws AptException {
        ensureLists(suite);
        List<String> names;
        if (KernelPackages.isGlob(nameOrGlob)) {
            Predicate<String> matches = KernelPackages.glob(nameOrGlob);
            names = pkgnames(suite, KernelPackages.literalPrefix(nameOrGlob)).stream()
                    .filter(matches)
                    .filter(n -> !KernelPackages.isVariantOrMeta(n, nameOrGlob))
                    .sorted().toList();
            if (names.isEmpty()) {
                throw new AptException("apt " + suite + ": no package matches " + nameOrGlob);
            }
        } else {
            names = List.of(nameOrGlob);
        }
        return show(suite, names).stream().max(KernelPackages.NEWEST)
                .orElseThrow(() -> new AptException("apt " + suite + ": no package matches " + nameOrGlob));
    }

    /** All versions of the named packages known in {@code suite}, with their Depends. */
    public List<PackageRef> show(String suite, List<String> names) throws AptException {
        ensureLists(suite);
        return withSuite(suite, () -> {
            List<String> args = new ArrayList<>(List.of("show", "--all-versions"));
            args.addAll(names);
            ProcessRunner.Result r = apt(suite, "apt-cache", args, dirs.suiteDir(suite));
            List<PackageRef> refs = AptStanzas.parseShow(r.stdout());
            if (!r.ok() && refs.isEmpty()) {
                throw failure(suite, "apt-cache show " + String.join(" ", names), r);
            }
            return refs;
        });
    }

    /** Downloads {@code ref} into {@code destDir} (created if needed) and returns the .deb. */
    public Path download(String suite, PackageRef ref, Path destDir) throws AptException {
        ensureLists(suite);
        return withSuite(suite, () -> {
            Files.createDirectories(destDir);
            Path tmp = Files.createTempDirectory(destDir, ".download-");
            try {
                log.accept("apt: downloading " + ref.pinned() + " from " + suite);
                ProcessRunner.Result r = apt(suite, "apt-get", List.of("download", ref.pinned()), tmp);
                if (!r.ok()) {
                    throw failure(suite, "apt-get download " + ref.pinned(), r);
                }
                List<Path> debs;
                try (Stream<Path> s = Files.list(tmp)) {
                    debs = s.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
                }
                if (debs.size() != 1) {
                    throw new AptException("apt " + suite + ": apt-get download " + ref.pinned() + " left " + debs.size() + " .deb files");
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

    /** Runs {@code body} holding the suite's lock; re-entrant within one thread. */
    <T> T withSuite(String suite, AptLock.Locked<T> body) throws AptException {
        return lock.with(suite, body);
    }

    // --- apt invocation -------------------------------------------------------------------------------

    private String mirror() throws AptException {
        if (mirrorOverride != null) return mirrorOverride;
        if (hostMirror == null) hostMirror = HostMirror.find();
        return hostMirror;
    }

    private ProcessRunner.Result apt(String suite, String tool, List<String> args, Path cwd) throws IOException, AptException {
        dirs.prepare(suite, mirror());
        List<String> argv = new ArrayList<>();
        argv.add(tool);
        argv.addAll(AptDirectory.options(dirs.suiteDir(suite)));
        argv.addAll(args);
        return ProcessRunner.run(argv, cwd, timeout);
    }

    /** Package names from {@code apt-cache pkgnames PREFIX}. */
    private List<String> pkgnames(String suite, String prefix) throws AptException {
        return withSuite(suite, () -> {
            ProcessRunner.Result r = apt(suite, "apt-cache", List.of("pkgnames", prefix), dirs.suiteDir(suite));
            if (!r.ok()) throw failure(suite, "apt-cache pkgnames " + prefix, r);
            return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        });
    }

    private static AptException failure(String suite, String what, ProcessRunner.Result r) {
        String why = r.timedOut() ? "timed out" : "exit code " + r.exitCode();
        return new AptException("apt " + suite + ": " + what + " failed (" + why + "): " + r.tail(4));
    }
}
