package dev.ringvm.kernel;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The distributions whose archives {@code apt:} kernels come from, told apart by suite name (codename plus pocket:
 * {@code noble-updates} is Ubuntu's, {@code trixie-backports} Debian's), each with the keyring its archive is signed
 * with where the distribution installs it. Pure; unit-tested.
 */
public enum AptDistribution {
    DEBIAN("Debian", Path.of("/usr/share/keyrings/debian-archive-keyring.gpg"),
            Set.of("buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid", "experimental",
                    "oldoldstable", "oldstable", "stable", "testing", "unstable"),
            List.of("-backports-sloppy", "-backports", "-proposed-updates", "-updates", "-security")),
    UBUNTU("Ubuntu", Path.of("/usr/share/keyrings/ubuntu-archive-keyring.gpg"),
            Set.of("trusty", "xenial", "bionic", "focal", "jammy", "kinetic", "lunar", "mantic", "noble", "oracular",
                    "plucky", "questing", "resolute"),
            List.of("-updates", "-security", "-proposed", "-backports"));

    /** How messages name it. */
    public final String displayName;
    /** Where its archive keyring is installed (debian-archive-keyring, ubuntu-keyring). */
    public final Path keyring;
    private final Set<String> codenames;
    private final List<String> pockets;

    AptDistribution(String displayName, Path keyring, Set<String> codenames, List<String> pockets) {
        this.displayName = displayName;
        this.keyring = keyring;
        this.codenames = codenames;
        this.pockets = pockets;
    }

    /** The distribution whose archive has {@code suite}, when its codename is one of the known ones. */
    public static Optional<AptDistribution> ofSuite(String suite) {
        for (AptDistribution d : values()) {
            if (d.codenames.contains(d.codename(suite))) return Optional.of(d);
        }
        return Optional.empty();
    }

    /** Whether {@code suite} is this distribution's main suite (a codename without a pocket such as -updates). */
    boolean isMainSuite(String suite) {
        return codenames.contains(suite);
    }

    /** The codename part of {@code suite}: {@code noble-updates} -> {@code noble}. */
    private String codename(String suite) {
        for (String p : pockets) {
            if (suite.endsWith(p)) return suite.substring(0, suite.length() - p.length());
        }
        return suite;
    }
}
