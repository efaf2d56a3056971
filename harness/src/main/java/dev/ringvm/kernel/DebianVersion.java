package dev.ringvm.kernel;

import java.util.Comparator;

/**
 * Debian version ordering (deb-version(7): epoch, upstream, revision; '~' sorts before everything, letters
 * before non-letters), the same answers as {@code dpkg --compare-versions}, without a process per comparison.
 */
final class DebianVersion {

    /** Orders version strings as dpkg does. */
    public static final Comparator<String> ORDER = DebianVersion::compare;

    private DebianVersion() {}

    public static int compare(String a, String b) {
        String[] x = split(a);
        String[] y = split(b);
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        if (c != 0) return c;
        c = compareFragment(x[1], y[1]);
        if (c != 0) return c;
        return compareFragment(x[2], y[2]);
    }

    /** {epoch, upstream, revision}; a missing epoch is 0 and a missing revision is empty. */
    private static String[] split(String v) {
        String epoch = "0";
        int colon = v.indexOf(':');
        if (colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit)) {
            epoch = v.substring(0, colon);
            v = v.substring(colon + 1);
        }
        int dash = v.lastIndexOf('-');
        return dash < 0 ? new String[] {epoch, v, ""} : new String[] {epoch, v.substring(0, dash), v.substring(dash + 1)};
    }

    private static int order(char ch) {
        if (Character.isDigit(ch)) return 0;
        if (Character.isLetter(ch)) return ch;
        if (ch == '~') return -1;
        return ch + 256;
    }

    /** dpkg's verrevcmp on two fragments (also orders package names by the release inside them). */
    static int compareFragments(String a, String b) {
        return compareFragment(a, b);
    }

    private static int compareFragment(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) return Integer.compare(ac, bc);
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') i++;
            while (j < b.length() && b.charAt(j) == '0') j++;
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) firstDiff = a.charAt(i) - b.charAt(j);
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) return 1;
            if (j < b.length() && Character.isDigit(b.charAt(j))) return -1;
            if (firstDiff != 0) return Integer.signum(firstDiff);
        }
        return 0;
    }
}
