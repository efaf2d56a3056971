package dev.ringvm.kernel;

import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The archives this host's apt uses, as apt itself reports them ({@code apt-get indextargets} reads deb822 and
 * one-line sources alike and leaves out disabled entries), each with the sources entry it came from, whose
 * {@code Signed-By} says which keyring signs it. Only reads the host's apt configuration.
 */
final class HostMirror {
    /** One line per index target: its type, the repository URI, the suite as the sources name it, the sources entry. */
    static final List<String> INDEX_TARGETS = List.of("apt-get", "indextargets", "--no-release-info",
            "--format", "$(TARGET_OF) $(REPO_URI) $(RELEASE) $(SOURCESENTRY)");
    /** Suite names that identify the main Debian archive in a host's sources (not -security, -updates), best first. */
    private static final List<String> MAIN_SUITES = List.of("bookworm", "trixie", "forky", "sid", "stable", "testing", "unstable");

    /**
     * A main archive of the host (a distribution's codename, not a pocket).
     *
     * @param uri          its URI, without a trailing slash
     * @param suite        the main suite the host's sources name
     * @param distribution whose archive it is
     * @param sourcesEntry where apt read it ({@code FILE:N}: the Nth deb822 stanza or the Nth line), or empty
     */
    record HostArchive(String uri, String suite, AptDistribution distribution, String sourcesEntry) {}

    /**
     * What a sources entry's {@code Signed-By} names: keyring files (the first that exists is used) or a key block
     * embedded in a deb822 entry; a fingerprint-only value names neither.
     */
    record SignedBy(List<Path> files, String embeddedKey) {
        SignedBy {
            files = List.copyOf(files);
        }
    }

    private HostMirror() {}

    /** The host's main Debian mirror (for callers that need Debian itself: the container image, the tests). */
    static String find() throws AptException {
        return choose(indexTargets(List.of()));
    }

    /** {@code apt-get indextargets} with {@code aptOptions} (tests point it at another sources list). */
    static String indexTargets(List<String> aptOptions) throws AptException {
        List<String> argv = new ArrayList<>();
        argv.add(INDEX_TARGETS.getFirst());
        argv.addAll(aptOptions);
        argv.addAll(INDEX_TARGETS.subList(1, INDEX_TARGETS.size()));
        ProcessRunner.Result r;
        try {
            r = ProcessRunner.run(argv, Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new AptException("apt: cannot read the host's apt sources: " + e.getMessage(), e);
        }
        if (!r.ok()) {
            throw new AptException("apt: cannot read the host's apt sources: apt-get indextargets failed: " + r.tail(2));
        }
        return r.stdout();
    }

    /** The Debian mirror in {@code apt-get indextargets} output, or the error that says none is there. */
    static String choose(String indexTargets) throws AptException {
        return fromIndexTargets(indexTargets).orElseThrow(() -> new AptException(
                "apt: no Debian mirror found in the host's apt sources (need a deb entry for suite bookworm, trixie or sid)"));
    }

    /** The URI of the {@code deb} target whose suite is a main Debian suite, preferring bookworm; no trailing slash. */
    static Optional<String> fromIndexTargets(String text) {
        return archives(text).stream().filter(a -> MAIN_SUITES.contains(a.suite()))
                .min(Comparator.comparingInt(a -> MAIN_SUITES.indexOf(a.suite()))).map(HostArchive::uri);
    }

    /**
     * The host's main archive of {@code distribution}: for Debian the best-ranked main suite (as {@link #find}),
     * for Ubuntu the first codename entry; empty when the host's sources have none.
     */
    static Optional<HostArchive> archiveOf(String text, AptDistribution distribution) {
        List<HostArchive> all = archives(text).stream().filter(a -> a.distribution() == distribution).toList();
        Optional<HostArchive> debianRanked = all.stream().filter(a -> MAIN_SUITES.contains(a.suite()))
                .min(Comparator.comparingInt(a -> MAIN_SUITES.indexOf(a.suite())));
        return debianRanked.isPresent() ? debianRanked : all.stream().findFirst();
    }

    /** Every {@code deb} target whose suite is a known distribution's main suite, in the order apt lists them. */
    static List<HostArchive> archives(String text) {
        List<HostArchive> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 3 || !f[0].equals("deb")) continue;
            String suite = f[2];
            Optional<AptDistribution> d = AptDistribution.ofSuite(suite).filter(x -> x.isMainSuite(suite));
            if (d.isEmpty()) continue;
            String uri = f[1].endsWith("/") ? f[1].substring(0, f[1].length() - 1) : f[1];
            HostArchive a = new HostArchive(uri, suite, d.get(), f.length > 3 ? f[3] : "");
            if (!out.contains(a)) out.add(a);
        }
        return out;
    }

    /** The Signed-By of the sources entry {@code FILE:N}; empty when the entry has none or cannot be read. */
    static Optional<SignedBy> signedBy(String sourcesEntry) {
        int colon = sourcesEntry.lastIndexOf(':');
        if (colon <= 0) return Optional.empty();
        Path file = Path.of(sourcesEntry.substring(0, colon));
        int n;
        try {
            n = Integer.parseInt(sourcesEntry.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        return file.getFileName().toString().endsWith(".sources") ? signedByDeb822(text, n) : signedByOneLine(text, n);
    }

    /** The Signed-By field of the {@code n}th stanza (1-based; comment lines are not part of a stanza). */
    static Optional<SignedBy> signedByDeb822(String text, int n) {
        List<List<String>> stanzas = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("#")) continue;
            if (line.isBlank()) {
                if (!current.isEmpty()) stanzas.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        if (!current.isEmpty()) stanzas.add(current);
        if (n < 1 || n > stanzas.size()) return Optional.empty();
        List<String> stanza = stanzas.get(n - 1);
        for (int i = 0; i < stanza.size(); i++) {
            String line = stanza.get(i);
            if (!line.toLowerCase(java.util.Locale.ROOT).startsWith("signed-by:")) continue;
            StringBuilder value = new StringBuilder(line.substring("signed-by:".length()).strip());
            for (int j = i + 1; j < stanza.size() && Character.isWhitespace(stanza.get(j).charAt(0)); j++) {
                String cont = stanza.get(j).strip();
                value.append('\n').append(cont.equals(".") ? "" : cont);
            }
            return signedByValue(value.toString().strip());
        }
        return Optional.empty();
    }

    /** The signed-by option of line {@code n} (1-based): {@code deb [arch=amd64 signed-by=FILE] URI SUITE ...}. */
    static Optional<SignedBy> signedByOneLine(String text, int n) {
        List<String> lines = text.lines().toList();
        if (n < 1 || n > lines.size()) return Optional.empty();
        String line = lines.get(n - 1).strip();
        int open = line.indexOf('[');
        int close = line.indexOf(']');
        if (open < 0 || close < open) return Optional.empty();
        for (String opt : line.substring(open + 1, close).strip().split("\\s+")) {
            if (opt.toLowerCase(java.util.Locale.ROOT).startsWith("signed-by=")) {
                return signedByValue(opt.substring("signed-by=".length()));
            }
        }
        return Optional.empty();
    }

    private static Optional<SignedBy> signedByValue(String value) {
        if (value.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) return Optional.of(new SignedBy(List.of(), value + "\n"));
        List<Path> files = new ArrayList<>();
        for (String item : value.split("[,\\s]+")) {
            if (item.startsWith("/")) files.add(Path.of(item));
        }
        return files.isEmpty() ? Optional.empty() : Optional.of(new SignedBy(files, null));
    }
}
