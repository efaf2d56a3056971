package dev.ringvm.kernel;

import dev.ringvm.host.AtomicFiles;

import org.apache.commons.io.FileUtils;
import dev.ringvm.host.CacheLock;

import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private apt setup per Debian suite under {@code <cache>/apt/<suite>/}: its own sources.list, lists,
 * archives, empty dpkg status and empty preferences, so neither the host's sources nor its pinning are read
 * and the host's apt state is never written. Signatures are checked against the Debian archive keyring;
 * nothing here turns that off. One file lock per suite ({@code <cache>/apt/<suite>.lock}) serialises update,
 * queries and downloads across processes.
 */
public final class AptRepo implements PackageArchive {

    public static final Duration DEFAULT_MAX_LIST_AGE = Duration.ofHours(6);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    static final Path HOST_DEB822 = Path.of("/etc/apt/sources.list.d/debian.sources");
    static final Path HOST_SOURCES_LIST = Path.of("/etc/apt/sources.list");
    private static final Pattern SUITE = Pattern.compile("[a-z0-9][a-z0-9.-]*");
    /** Suite names that identify the main archive in a host's sources (not -security, -updates). */
    private static final List<String> MAIN_SUITES = List.of("bookworm", "trixie", "forky", "sid", "stable", "testing", "unstable");

    private final Path root;
    private final String mirrorOverride;
    private final Duration maxListAge;
    private final Duration timeout;
    private final Consumer<String> log;

    /** Defaults: mirror from the host's apt sources, lists refreshed after 6 hours, 10 minute deadline per command. */
    public AptRepo(Path cacheRoot, Consumer<String> log) {
        this(cacheRoot, null, DEFAULT_MAX_LIST_AGE, DEFAULT_TIMEOUT, log);
    }

    /**
     * @param cacheRoot  ringvm cache root; apt state lives in {@code cacheRoot/apt}
     * @param mirrorUri  Debian mirror URI, or null to read it from the host's apt sources
     * @param maxListAge lists older than this are refreshed with apt-get update
     * @param timeout    deadline for each apt command
     * @param log        progress messages
     */
    public AptRepo(Path cacheRoot, String mirrorUri, Duration maxListAge, Duration timeout, Consumer<String> log) {
        this.root = cacheRoot.resolve("apt");
        this.mirrorOverride = mirrorUri;
        this.maxListAge = maxListAge;
        this.timeout = timeout;
        this.log = log;
    }

    /** Runs apt-get update for {@code suite} when its lists are missing or older than the maximum age. */
    public void ensureLists(String suite) throws AptException {
        withSuite(suite, () -> {
            Path dir = suiteDir(suite);
            Path stamp = dir.resolve("updated");
            if (prepare(suite)) {
                Files.deleteIfExists(stamp); // new or changed sources.list: the lists on disk are for another mirror
            }
            if (Files.exists(stamp) && hasLists(dir)) {
                Instant at = Files.getLastModifiedTime(stamp).toInstant();
                if (at.plus(maxListAge).isAfter(Instant.now())) {
                    return null;
                }
            }
            log.accept("apt: updating package lists for " + suite);
            long t0 = System.nanoTime();
            ProcessRunner.Result r = apt(suite, "apt-get", List.of("update", "--error-on=any"), dir);
            if (!r.ok()) {
                throw failure(suite, "apt-get update", r);
            }
            Files.deleteIfExists(stamp);
            Files.writeString(stamp, Instant.now() + "\n");
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
        if (isGlob(nameOrGlob)) {
            Pattern p = globToRegex(nameOrGlob);
            names = pkgnames(suite, literalPrefix(nameOrGlob)).stream()
                    .filter(n -> p.matcher(n).matches())
                    .filter(n -> !isVariantOrMeta(n, nameOrGlob))
                    .sorted().toList();
            if (names.isEmpty()) {
                throw new AptException("apt " + suite + ": no package matches " + nameOrGlob);
            }
        } else {
            names = List.of(nameOrGlob);
        }
        return show(suite, names).stream().max(NEWEST)
                .orElseThrow(() -> new AptException("apt " + suite + ": no package matches " + nameOrGlob));
    }

    /** Package version first, then the name compared as a version (the release inside it). */
    static final Comparator<PackageRef> NEWEST = Comparator
            .comparing(PackageRef::version, DebianVersion.ORDER)
            .thenComparing(PackageRef::name, DebianVersion::compareFragments);

    static boolean isVariantOrMeta(String name, String glob) {
        for (String suffix : List.of("-dbg", "-unsigned")) {
            if ((name.endsWith(suffix) || name.contains(suffix + "-")) && !glob.contains(suffix)) return true;
        }
        // linux-image-cloud-amd64, linux-image-amd64: meta packages carry no release in their name; skipped
        // unless the glob spells out what follows "linux-image-" (then the user asked for exactly that)
        String prefix = "linux-image-";
        if (!name.startsWith(prefix) || name.length() == prefix.length() || Character.isDigit(name.charAt(prefix.length()))) {
            return false;
        }
        return !glob.startsWith(prefix) || glob.length() == prefix.length() || isGlob(glob.substring(prefix.length(), prefix.length() + 1));
    }

    /** All versions of the named packages known in {@code suite}, with their Depends. */
    public List<PackageRef> show(String suite, List<String> names) throws AptException {
        ensureLists(suite);
        return withSuite(suite, () -> {
            List<String> args = new ArrayList<>(List.of("show", "--all-versions"));
            args.addAll(names);
            ProcessRunner.Result r = apt(suite, "apt-cache", args, suiteDir(suite));
            List<PackageRef> refs = parseShow(r.stdout());
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
        return download(suite, newest(suite, pkg), suiteDir(suite).resolve("debs"));
    }

    // --- apt invocation -------------------------------------------------------------------------------

    Path suiteDir(String suite) throws AptException {
        if (!SUITE.matcher(suite).matches()) {
            throw new AptException("apt: bad suite name \"" + suite + "\"");
        }
        return root.resolve(suite);
    }

    /** The -o options that point every apt path at the private directory (pure; unit-tested). */
    static List<String> options(Path dir) {
        Path etc = dir.resolve("etc");
        return List.of(
                "-o", "Dir::Etc::SourceList=" + etc.resolve("sources.list"),
                "-o", "Dir::Etc::SourceParts=" + etc.resolve("sources.list.d"),
                "-o", "Dir::Etc::Preferences=" + etc.resolve("preferences"),
                "-o", "Dir::Etc::PreferencesParts=" + etc.resolve("preferences.d"),
                "-o", "Dir::Etc::Trusted=" + etc.resolve("trusted.gpg"),
                "-o", "Dir::Etc::TrustedParts=" + etc.resolve("trusted.gpg.d"),
                "-o", "Dir::State=" + dir.resolve("state"),
                "-o", "Dir::State::Lists=" + dir.resolve("lists"),
                "-o", "Dir::State::status=" + dir.resolve("state").resolve("status"),
                "-o", "Dir::State::extended_states=" + dir.resolve("state").resolve("extended_states"),
                "-o", "Dir::Cache=" + dir.resolve("cache"),
                "-o", "Dir::Cache::archives=" + dir.resolve("cache").resolve("archives"),
                "-o", "Dir::Cache::pkgcache=" + dir.resolve("cache").resolve("pkgcache.bin"),
                "-o", "Dir::Cache::srcpkgcache=", // no source cache: only binary packages are queried
                "-o", "APT::Architecture=amd64",
                "-o", "APT::Architectures=amd64",
                "-o", "Acquire::Languages=none",
                "-o", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false",
                "-o", "APT::Get::List-Cleanup=true",
                "-q");
    }

    /** The private sources.list line; signed-by pins the Debian archive keyring. */
    static String sourcesLine(String mirror, String suite) {
        return "deb [arch=amd64 signed-by=" + KEYRING + "] " + mirror + " " + suite + " main\n";
    }

    /** Creates the private tree; true when sources.list was (re)written. */
    private boolean prepare(String suite) throws IOException, AptException {
        Path dir = suiteDir(suite);
        Path etc = dir.resolve("etc");
        for (Path p : List.of(etc.resolve("sources.list.d"), etc.resolve("preferences.d"), etc.resolve("trusted.gpg.d"),
                dir.resolve("state"), dir.resolve("lists").resolve("partial"),
                dir.resolve("cache").resolve("archives").resolve("partial"))) {
            Files.createDirectories(p);
        }
        Path status = dir.resolve("state").resolve("status");
        if (!Files.exists(status)) Files.createFile(status);
        Path prefs = etc.resolve("preferences");
        if (!Files.exists(prefs)) Files.createFile(prefs);
        Path sources = etc.resolve("sources.list");
        String line = sourcesLine(mirror(), suite);
        if (!Files.exists(sources) || !Files.readString(sources).equals(line)) {
            Files.writeString(sources, line);
            return true;
        }
        return false;
    }

    private String mirror() throws AptException {
        if (mirrorOverride != null) return mirrorOverride;
        return mirrorFromHost(HOST_DEB822, HOST_SOURCES_LIST);
    }

    private ProcessRunner.Result apt(String suite, String tool, List<String> args, Path cwd) throws IOException, AptException {
        prepare(suite);
        List<String> argv = new ArrayList<>();
        argv.add(tool);
        argv.addAll(options(suiteDir(suite)));
        argv.addAll(args);
        return ProcessRunner.run(argv, cwd, timeout);
    }

    private static AptException failure(String suite, String what, ProcessRunner.Result r) {
        String why = r.timedOut() ? "timed out" : "exit code " + r.exitCode();
        return new AptException("apt " + suite + ": " + what + " failed (" + why + "): " + r.tail(4));
    }

    private static boolean hasLists(Path dir) throws IOException {
        Path lists = dir.resolve("lists");
        if (!Files.isDirectory(lists)) return false;
        try (Stream<Path> s = Files.list(lists)) {
            return s.anyMatch(p -> p.getFileName().toString().contains("_Packages"));
        }
    }

    // --- parsing (pure) -------------------------------------------------------------------------------

    /** Package names from {@code apt-cache pkgnames PREFIX}. */
    private List<String> pkgnames(String suite, String prefix) throws AptException {
        return withSuite(suite, () -> {
            ProcessRunner.Result r = apt(suite, "apt-cache", List.of("pkgnames", prefix), suiteDir(suite));
            if (!r.ok()) throw failure(suite, "apt-cache pkgnames " + prefix, r);
            return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        });
    }

    /** Parses {@code apt-cache show} stanzas into package, version and dependency names. */
    static List<PackageRef> parseShow(String text) {
        List<PackageRef> out = new ArrayList<>();
        for (String stanza : text.split("\\n\\s*\\n")) {
            String name = null;
            String version = null;
            List<String> deps = new ArrayList<>();
            for (String line : stanza.lines().toList()) {
                if (line.startsWith("Package: ")) name = line.substring(9).strip();
                else if (line.startsWith("Version: ")) version = line.substring(9).strip();
                else if (line.startsWith("Depends: ") || line.startsWith("Pre-Depends: ")) {
                    for (String alt : line.substring(line.indexOf(':') + 1).split("[,|]")) {
                        String d = alt.replaceAll("\\(.*?\\)", "").replaceAll("\\[.*?]", "").strip();
                        int colon = d.indexOf(':');
                        if (colon > 0) d = d.substring(0, colon);
                        if (!d.isEmpty()) deps.add(d);
                    }
                }
            }
            if (name != null && version != null) out.add(new PackageRef(name, version, deps));
        }
        return out;
    }

    static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    static String literalPrefix(String glob) {
        int i = 0;
        while (i < glob.length() && "*?[".indexOf(glob.charAt(i)) < 0) i++;
        return glob.substring(0, i);
    }

    /** Shell glob ({@code *}, {@code ?}, {@code [..]}) to an anchored regex; everything else is literal. */
    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        re.append('[').append(glob.substring(i + 1, end).replace("\\", "\\\\").replaceFirst("^!", "^")).append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** The mirror URI of this host's main Debian archive, read from its apt sources (see {@link #mirrorFromHost}). */
    public static String hostMirror() throws AptException {
        return mirrorFromHost(HOST_DEB822, HOST_SOURCES_LIST);
    }

    /** The mirror URI of the host's main Debian archive: deb822 debian.sources first, then sources.list. */
    static String mirrorFromHost(Path deb822, Path sourcesList) throws AptException {
        try {
            if (Files.exists(deb822)) {
                Optional<String> m = mirrorFromDeb822(Files.readString(deb822));
                if (m.isPresent()) return m.get();
            }
            if (Files.exists(sourcesList)) {
                Optional<String> m = mirrorFromSourcesList(Files.readString(sourcesList));
                if (m.isPresent()) return m.get();
            }
        } catch (IOException e) {
            throw new AptException("apt: cannot read the host's apt sources: " + e.getMessage(), e);
        }
        throw new AptException("apt: no Debian mirror found in " + deb822 + " or " + sourcesList
                + " (need a stanza or line for suite bookworm, trixie or sid)");
    }

    /** URIs of the first deb822 stanza whose Suites name a main suite, preferring bookworm. */
    static Optional<String> mirrorFromDeb822(String text) {
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (String stanza : text.split("\\n\\s*\\n")) {
            String uri = null;
            List<String> suites = List.of();
            List<String> types = List.of("deb");
            boolean enabled = true;
            for (String line : stanza.lines().toList()) {
                if (line.startsWith("#")) continue;
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).strip().toLowerCase();
                String value = line.substring(colon + 1).strip();
                switch (key) {
                    case "uris" -> uri = value.split("\\s+")[0];
                    case "suites" -> suites = List.of(value.split("\\s+"));
                    case "types" -> types = List.of(value.split("\\s+"));
                    case "enabled" -> enabled = !value.equalsIgnoreCase("no");
                    default -> { }
                }
            }
            if (uri == null || !enabled || !types.contains("deb")) continue;
            int rank = rank(suites);
            if (rank < bestRank) {
                best = uri;
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best).map(AptRepo::trimSlash);
    }

    /** URI of the first one-line {@code deb [opts] URI SUITE ...} whose suite is a main suite, preferring bookworm. */
    static Optional<String> mirrorFromSourcesList(String text) {
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (!line.startsWith("deb ") && !line.startsWith("deb\t")) continue;
            String rest = line.substring(4).strip();
            if (rest.startsWith("[")) {
                int end = rest.indexOf(']');
                if (end < 0) continue;
                rest = rest.substring(end + 1).strip();
            }
            String[] f = rest.split("\\s+");
            if (f.length < 2) continue;
            int rank = rank(List.of(f[1]));
            if (rank < bestRank) {
                best = f[0];
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best).map(AptRepo::trimSlash);
    }

    private static int rank(List<String> suites) {
        int best = Integer.MAX_VALUE;
        for (String s : suites) {
            int i = MAIN_SUITES.indexOf(s);
            if (i >= 0) best = Math.min(best, i);
        }
        return best;
    }

    private static String trimSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    // --- locking --------------------------------------------------------------------------------------

    interface Locked<T> {
        T run() throws IOException, AptException;
    }

    /** Runs {@code body} holding the suite's lock (in-JVM and file lock); re-entrant within one thread. */
    <T> T withSuite(String suite, Locked<T> body) throws AptException {
        Path dir = suiteDir(suite);
        try {
            Files.createDirectories(dir);
            return CacheLock.with(root.resolve(suite + ".lock"), body::run);
        } catch (IOException e) {
            throw new AptException("apt " + suite + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Seen by tests: the stamp time so freshness can be checked without sleeping. */
    void touchStamp(String suite, Instant at) throws IOException, AptException {
        Files.setLastModifiedTime(suiteDir(suite).resolve("updated"), FileTime.from(at));
    }
}
