package dev.ringvm.cli;

import dev.ringvm.config.ConfigException;
import dev.ringvm.kernel.KernelLock;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.kernel.MainlineArchive;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Options every command that resolves kernels shares (a picocli mixin): the matrix file, cache, mainline base. */
final class SourceOptions {

    @Option(names = "--kernels", paramLabel = "FILE",
            description = "Matrix file (default: kernels.yaml here, else the one shipped with ringvm).")
    Path kernels;

    @Option(names = "--cache", paramLabel = "DIR", hidden = true, description = "Cache root (default: $XDG_CACHE_HOME/ringvm).")
    Path cache;

    @Option(names = "--mainline-base", paramLabel = "URL", defaultValue = MainlineArchive.DEFAULT_BASE,
            description = "Ubuntu's mainline kernel archive, or a mirror with its layout (default: ${DEFAULT-VALUE}).")
    String mainlineBase;

    @Option(names = "--max-download", paramLabel = "SIZE", defaultValue = "1G",
            description = "The largest file a kernel download may be, e.g. 500M or 2G: a larger Content-Length is"
                    + " refused before the download starts, a body without one is cut there (default: ${DEFAULT-VALUE}).")
    String maxDownload;

    /** {@code --kernels}, else ./kernels.yaml, else $RINGVM_HOME/kernels.yaml. */
    Path kernelsFile() {
        if (kernels != null) return kernels;
        Path here = Path.of("kernels.yaml");
        String home = System.getenv("RINGVM_HOME");
        if (!Files.exists(here) && home != null && Files.exists(Path.of(home, "kernels.yaml"))) {
            return Path.of(home, "kernels.yaml");
        }
        return here;
    }

    URI mainlineBaseUri() throws ConfigException {
        try {
            URI uri = MainlineArchive.base(mainlineBase);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new ConfigException("--mainline-base: expected an http(s) URL, got \"" + mainlineBase + "\"");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--mainline-base: bad URL \"" + mainlineBase + "\"");
        }
    }

    KernelResolver resolver(Path cacheRoot, Path kernelsYaml, Consumer<String> log) throws ConfigException {
        return new KernelResolver(cacheRoot, KernelLock.nextTo(kernelsYaml), Builders.kernelBuilder(cacheRoot, log),
                mainlineBaseUri(), maxDownloadBytes(), log);
    }

    private static final java.util.regex.Pattern BYTES =
            java.util.regex.Pattern.compile("(\\d{1,12})\\s*(K|KiB|M|MiB|G|GiB|T|TiB)?", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** {@code --max-download}: a byte count with an optional K, M, G or T suffix (powers of 1024). */
    long maxDownloadBytes() throws ConfigException {
        String v = maxDownload == null ? "1G" : maxDownload.strip();
        java.util.regex.Matcher m = BYTES.matcher(v);
        if (!m.matches()) {
            throw new ConfigException("--max-download: expected a size such as 500M or 2G, got \"" + Messages.clip(v) + "\"");
        }
        long n = Long.parseLong(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (Character.toUpperCase(m.group(2).charAt(0))) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 40;
        };
        if (n == 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new ConfigException("--max-download: must be between 1 byte and 8 EiB, got \"" + v + "\"");
        }
        return n << shift;
    }
}
