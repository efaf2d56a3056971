package dev.ringvm.verdict;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upstream kernel version: {@code major.minor[.sublevel][-rcN]}. Release candidates sort before the release
 * ({@code 6.7-rc3 < 6.7.0}). A sublevel of {@link #UNKNOWN} means the release string hides it: Debian and Ubuntu
 * ABI names like {@code 6.1.0-50-cloud-amd64} or {@code 6.5.0-14-generic} keep {@code .0} whatever stable
 * release they are based on, so the model must consider every {@code 6.1.y}.
 *
 * @param rc 0 for a release, N for -rcN
 */
public record KernelVersion(int major, int minor, int sublevel, int rc) implements Comparable<KernelVersion> {
    public static final int UNKNOWN = -1;
    /** Largest sublevel, for range bounds like {@code 6.9.*}. */
    public static final int ANY = Integer.MAX_VALUE;

    private static final Pattern P = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:-rc(\\d+))?(.*)");
    /** An ABI suffix ({@code -50-cloud-amd64}, {@code -14-generic}) that is not a mainline build's {@code -060812}. */
    private static final Pattern ABI = Pattern.compile("-\\d{1,5}(?:[-.+~].*)?");

    /** Parses {@code uname -r} of upstream, Debian, Ubuntu and Ubuntu-mainline kernels; empty when not a version. */
    public static Optional<KernelVersion> parse(String release) {
        if (release == null) return Optional.empty();
        Matcher m = P.matcher(release.strip());
        if (!m.matches()) return Optional.empty();
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int rc = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        String rest = m.group(5);
        int sub;
        if (m.group(3) == null) sub = 0;
        else {
            sub = Integer.parseInt(m.group(3));
            // distribution ABI name: x.y.0-N-flavour hides the stable sublevel (6.1.0-50 is some 6.1.y)
            if (sub == 0 && rc == 0 && ABI.matcher(rest).matches()) sub = UNKNOWN;
        }
        return Optional.of(new KernelVersion(major, minor, sub, rc));
    }

    /** Parses a bound or a {@code release-as} value: {@code 6.5.0}, {@code 6.7-rc3}, {@code 6.9.*} (any sublevel). */
    public static KernelVersion bound(String text) {
        String t = text.strip();
        if (t.endsWith(".*")) {
            KernelVersion v = parse(t.substring(0, t.length() - 2)).orElseThrow(() -> bad(text));
            return new KernelVersion(v.major, v.minor, ANY, 0);
        }
        KernelVersion v = parse(t).orElseThrow(() -> bad(text));
        if (v.sublevel == UNKNOWN) throw bad(text);
        return v;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("bad kernel version \"" + text + "\"");
    }

    public boolean sublevelKnown() {
        return sublevel != UNKNOWN;
    }

    /** The lowest and highest version this one may stand for (differ only when the sublevel is unknown). */
    public KernelVersion lowest() {
        return sublevelKnown() ? this : new KernelVersion(major, minor, 0, 0);
    }

    public KernelVersion highest() {
        return sublevelKnown() ? this : new KernelVersion(major, minor, ANY, 0);
    }

    @Override
    public int compareTo(KernelVersion o) {
        if (major != o.major) return Integer.compare(major, o.major);
        if (minor != o.minor) return Integer.compare(minor, o.minor);
        int r1 = rc == 0 ? Integer.MAX_VALUE : rc;
        int r2 = o.rc == 0 ? Integer.MAX_VALUE : o.rc;
        if (r1 != r2) return Integer.compare(r1, r2);
        return Integer.compare(sublevel, o.sublevel);
    }

    @Override
    public String toString() {
        String base = major + "." + minor;
        if (rc != 0) return base + "-rc" + rc;
        if (sublevel == UNKNOWN) return base + ".y";
        if (sublevel == ANY) return base + ".*";
        return base + "." + sublevel;
    }
}
