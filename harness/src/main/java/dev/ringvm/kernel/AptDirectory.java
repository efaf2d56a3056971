package dev.ringvm.kernel;

import dev.ringvm.config.Arch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The private apt tree of one suite of one archive, {@code <cache>/apt/<key>/} ({@link AptTarget#key()}): its own
 * sources.list (one line, signed-by the archive's keyring), lists, archives, an empty dpkg status and empty
 * preferences, and the {@code -o} options that point apt at them, so neither the host's sources nor its pinning are
 * read and the host's apt state is never written.
 */
final class AptDirectory {
    static final Path KEYRING = AptDistribution.DEBIAN.keyring;
    private static final Pattern SUITE = Pattern.compile("[a-z0-9][a-z0-9.-]*");

    private final Path root;

    /** @param root {@code <cache>/apt} */
    AptDirectory(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** {@code <root>/<key>}; a key that is not a suite name (a path, an option) is refused first. */
    Path suiteDir(String key) throws AptException {
        if (!SUITE.matcher(key).matches()) {
            throw new AptException("apt: bad suite name \"" + key + "\"");
        }
        return root.resolve(key);
    }

    /** The -o options that point every apt path at the private directory (pure; unit-tested). */
    static List<String> options(Path dir) {
        return options(dir, Arch.DEFAULT);
    }

    /**
     * The -o options for packages of {@code arch}: apt's own architecture is set to it, so an arm64 tree lists and
     * downloads arm64 packages without the host's dpkg knowing that architecture.
     */
    static List<String> options(Path dir, Arch arch) {
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
                "-o", "APT::Architecture=" + arch.debian(),
                "-o", "APT::Architectures=" + arch.debian(),
                "-o", "Acquire::Languages=none",
                "-o", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false",
                "-o", "APT::Get::List-Cleanup=true",
                "-q");
    }

    /** The private sources.list line for the Debian archive keyring and component main. */
    static String sourcesLine(String mirror, String suite) {
        return sourcesLine(mirror, suite, KEYRING, List.of("main"));
    }

    /** The private sources.list line; signed-by pins {@code keyring}, so nothing else can sign the lists. */
    static String sourcesLine(String mirror, String suite, Path keyring, List<String> components) {
        return sourcesLine(mirror, suite, keyring, components, Arch.DEFAULT);
    }

    /** The private sources.list line for packages of {@code arch}. */
    static String sourcesLine(String mirror, String suite, Path keyring, List<String> components, Arch arch) {
        return "deb [arch=" + arch.debian() + " signed-by=" + keyring + "] " + mirror + " " + suite + " " + String.join(" ", components) + "\n";
    }

    /**
     * Creates the private tree {@code key} whose sources.list is {@code line}; true when sources.list was
     * (re)written (the lists on disk are then for another archive).
     */
    boolean prepare(String key, String line) throws IOException, AptException {
        Path dir = suiteDir(key);
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
        if (!Files.exists(sources) || !Files.readString(sources).equals(line)) {
            Files.writeString(sources, line);
            return true;
        }
        return false;
    }

    /** Whether apt-get update has left package lists. */
    boolean hasLists(String suite) throws IOException, AptException {
        Path lists = suiteDir(suite).resolve("lists");
        if (!Files.isDirectory(lists)) return false;
        try (Stream<Path> s = Files.list(lists)) {
            return s.anyMatch(p -> p.getFileName().toString().contains("_Packages"));
        }
    }

    /** When the lists were last updated (the stamp file's time); a missing stamp is "never". */
    Instant updated(String suite) throws IOException, AptException {
        Path stamp = stamp(suite);
        return Files.exists(stamp) ? Files.getLastModifiedTime(stamp).toInstant() : Instant.MIN;
    }

    void markUpdated(String suite, Instant at) throws IOException, AptException {
        Path stamp = stamp(suite);
        Files.deleteIfExists(stamp);
        Files.writeString(stamp, at + "\n");
        Files.setLastModifiedTime(stamp, FileTime.from(at));
    }

    void markStale(String suite) throws IOException, AptException {
        Files.deleteIfExists(stamp(suite));
    }

    private Path stamp(String suite) throws AptException {
        return suiteDir(suite).resolve("updated");
    }
}
