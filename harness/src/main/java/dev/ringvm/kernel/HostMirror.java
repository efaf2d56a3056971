package dev.ringvm.kernel;

import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Debian mirror this host's apt uses for its main archive, as apt itself reports it ({@code apt-get indextargets}
 * reads deb822 and one-line sources alike and leaves out disabled entries). Only reads the host's apt configuration.
 */
final class HostMirror {
    /** One line per index target: its type, the repository URI, the suite as the sources name it. */
    static final List<String> INDEX_TARGETS = List.of("apt-get", "indextargets", "--no-release-info",
            "--format", "$(TARGET_OF) $(REPO_URI) $(RELEASE)");
    /** Suite names that identify the main archive in a host's sources (not -security, -updates), best first. */
    private static final List<String> MAIN_SUITES = List.of("bookworm", "trixie", "forky", "sid", "stable", "testing", "unstable");

    private HostMirror() {}

    static String find() throws AptException {
        ProcessRunner.Result r;
        try {
            r = ProcessRunner.run(INDEX_TARGETS, Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new AptException("apt: cannot read the host's apt sources: " + e.getMessage(), e);
        }
        if (!r.ok()) {
            throw new AptException("apt: cannot read the host's apt sources: apt-get indextargets failed: " + r.tail(2));
        }
        return choose(r.stdout());
    }

    /** The mirror in {@code apt-get indextargets} output, or the error that says none is there. */
    static String choose(String indexTargets) throws AptException {
        return fromIndexTargets(indexTargets).orElseThrow(() -> new AptException(
                "apt: no Debian mirror found in the host's apt sources (need a deb entry for suite bookworm, trixie or sid)"));
    }

    /** The URI of the {@code deb} target whose suite is a main suite, preferring bookworm; no trailing slash. */
    static Optional<String> fromIndexTargets(String text) {
        String best = null;
        int bestRank = Integer.MAX_VALUE;
        for (String line : text.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 3 || !f[0].equals("deb")) continue;
            int rank = MAIN_SUITES.indexOf(f[2]);
            if (rank >= 0 && rank < bestRank) {
                best = f[1];
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }
}
