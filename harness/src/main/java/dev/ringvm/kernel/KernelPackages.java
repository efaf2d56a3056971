package dev.ringvm.kernel;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

/**
 * What Debian's kernel package names mean: shell globs over them, meta and variant packages a glob skips, which
 * package is newest, and which dependency may hold the image. Pure; unit-tested.
 */
final class KernelPackages {
    private static final String IMAGE = "linux-image-";

    private KernelPackages() {}

    /** Package version first, then the name compared as a version (the release inside it). */
    static final Comparator<PackageRef> NEWEST = Comparator
            .comparing(PackageRef::version, DebianVersion.ORDER)
            .thenComparing(PackageRef::name, DebianVersion::compareFragments);

    static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    /** What precedes the first glob character: the prefix {@code apt-cache pkgnames} narrows by. */
    static String literalPrefix(String glob) {
        int i = 0;
        while (i < glob.length() && "*?[".indexOf(glob.charAt(i)) < 0) i++;
        return glob.substring(0, i);
    }

    /**
     * Names matching a shell glob ({@code *}, {@code ?}, {@code [..]}, {@code [!..]}), whole name; the JDK's glob
     * matcher (a package name has no '/'). A glob it cannot read (an unclosed '[') matches no package name.
     */
    static Predicate<String> glob(String glob) {
        PathMatcher m;
        try {
            m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (PatternSyntaxException e) {
            return name -> false;
        }
        return name -> !name.isEmpty() && name.indexOf('/') < 0 && m.matches(Path.of(name));
    }

    /**
     * Meta packages ({@code linux-image-cloud-amd64}: no version in the name), {@code -dbg}/{@code -unsigned}
     * variants and the real-time flavour ({@code linux-image-6.12.57+deb13-rt-arm64}, which {@code *-arm64} would
     * otherwise pick), which a glob skips unless it asks for them.
     */
    static boolean isVariantOrMeta(String name, String glob) {
        for (String suffix : List.of("-dbg", "-unsigned", "-rt")) {
            if ((name.endsWith(suffix) || name.contains(suffix + "-")) && !glob.contains(suffix)) return true;
        }
        // linux-image-cloud-amd64, linux-image-amd64: meta packages carry no release in their name; skipped
        // unless the glob spells out what follows "linux-image-" (then the user asked for exactly that)
        if (!name.startsWith(IMAGE) || name.length() == IMAGE.length() || Character.isDigit(name.charAt(IMAGE.length()))) {
            return false;
        }
        return !glob.startsWith(IMAGE) || glob.length() == IMAGE.length() || isGlob(glob.substring(IMAGE.length(), IMAGE.length() + 1));
    }

    /** linux-binary-* (split packaging) or a versioned linux-image-* (what a meta package points at). */
    static boolean mayHoldImage(String pkg) {
        if (pkg.endsWith("-dbg") || pkg.contains("-unsigned")) return false;
        return pkg.startsWith("linux-binary-")
                || (pkg.startsWith(IMAGE) && pkg.length() > IMAGE.length() && Character.isDigit(pkg.charAt(IMAGE.length())));
    }
}
