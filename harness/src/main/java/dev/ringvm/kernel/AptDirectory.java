package dev.ringvm.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The private apt tree of one Debian suite, {@code <cache>/apt/<suite>/}: its own sources.list (signed by the Debian
 * archive keyring), lists, archives, an empty dpkg status and empty preferences, and the {@code -o} options that
 * point apt at them, so neither the host's sources nor its pinning are read and the host's apt state is never written.
 */
final class AptDirectory {
    static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final Pattern SUITE = Pattern.compile("[a-z0-9][a-z0-9.-]*");

    private final Path root;

    /** @param root {@code <cache>/apt} */
    AptDirectory(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** {@code <root>/<suite>}; a suite name that is not one (a path, an option) is refused first. */
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

    /** Creates the private tree for {@code suite} from {@code mirror}; true when sources.list was (re)written. */
    boolean prepare(String suite, String mirror) throws IOException, AptException {
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
        String line = sourcesLine(mirror, suite);
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
