package dev.ringvm.kernel;

import dev.ringvm.config.Arch;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ubuntu's mainline kernel build archive, read the way virtme-ng's {@code vng -r vX.Y} does: an Apache-style
 * index per version ({@code v6.8.12/}) whose {@code amd64/} (or {@code arm64/}) subdirectory (older builds: the version directory
 * itself) links {@code linux-image-unsigned-<ver>-generic_<ver>.<stamp>_amd64.deb} and publishes
 * {@code CHECKSUMS} ({@code <sha1>  <file>} and {@code <sha256>  <file>} lines). Pure functions; unit-tested.
 */
public final class MainlineArchive {

    /** Where {@code --mainline-base} points by default. */
    public static final String DEFAULT_BASE = "https://kernel.ubuntu.com/mainline/";

    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern IMAGE_DEB = imageDebPattern(Arch.X86_64);
    private static final Pattern CHECKSUM_LINE = Pattern.compile("([0-9a-fA-F]+)\\s+\\*?(\\S+)");

    private MainlineArchive() {}

    /** {@code base} with a trailing slash, so that {@link URI#resolve} appends rather than replaces. */
    public static URI base(String base) {
        return URI.create(base.endsWith("/") ? base : base + "/");
    }

    /** The directories to try for {@code version}, in order: {@code vX.Y.Z/amd64/}, then {@code vX.Y.Z/}. */
    public static List<URI> directories(URI base, String version) {
        return directories(base, version, Arch.X86_64);
    }

    /**
     * The directories to try for {@code version} of {@code arch}: {@code vX.Y.Z/amd64/} or {@code vX.Y.Z/arm64/} (the
     * archive builds both), then {@code vX.Y.Z/}.
     */
    public static List<URI> directories(URI base, String version, Arch arch) {
        URI dir = base.resolve(version + "/");
        return List.of(dir.resolve(arch.debian() + "/"), dir);
    }

    /** {@code linux-image-unsigned-<ver>-generic_<ver>.<stamp>_<debian arch>.deb}. */
    static Pattern imageDebPattern(Arch arch) {
        return Pattern.compile("linux-image-unsigned-[^/\"]+-generic_[^/\"]+_" + arch.debian() + "\\.deb");
    }

    /**
     * The link (href, relative to the page) of the generic unsigned image .deb on an index page; a version page
     * links {@code amd64/linux-image-...}, an {@code amd64/} page the bare file name.
     */
    public static Optional<String> imageDeb(String indexHtml) {
        return imageDeb(indexHtml, Arch.X86_64);
    }

    /** {@link #imageDeb(String)} of the image .deb for {@code arch}. */
    public static Optional<String> imageDeb(String indexHtml, Arch arch) {
        Pattern imageDeb = arch == Arch.X86_64 ? IMAGE_DEB : imageDebPattern(arch);
        List<String> found = new ArrayList<>();
        Matcher m = HREF.matcher(indexHtml);
        while (m.find()) {
            String href = m.group(1);
            if (imageDeb.matcher(fileName(href)).matches() && !found.contains(href)) found.add(href);
        }
        // one build per directory in practice; if a page ever lists several, the last (newest stamp) wins
        return found.stream().sorted((a, b) -> fileName(a).compareTo(fileName(b))).reduce((a, b) -> b);
    }

    /** The last path segment of a link. */
    public static String fileName(String href) {
        return href.substring(href.lastIndexOf('/') + 1);
    }

    /** file name -> sha256 from a CHECKSUMS file; sha1 lines (40 hex digits) are skipped by their length. */
    public static Map<String, String> sha256Sums(String checksums) {
        Map<String, String> out = new TreeMap<>();
        for (String line : checksums.lines().toList()) {
            Matcher m = CHECKSUM_LINE.matcher(line.strip());
            if (m.matches() && m.group(1).length() == 64) {
                out.put(m.group(2), m.group(1).toLowerCase());
            }
        }
        return out;
    }
}
