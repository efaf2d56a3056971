package dev.ringvm.kernel;

import dev.ringvm.config.KernelSource;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.CacheLock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * kernels.lock: the package, version and image sha256 each kernel resolved to, keyed by kernel id, so a later run
 * boots the same bytes without asking the network. JSON ({@link File}, data-bound), sorted by id, rewritten whole
 * through a temp file and an atomic rename while holding a file lock on a sidecar {@code .kernels.lock.lck} (the
 * lock file itself is replaced on every write, so it cannot carry the lock). {@link #pin} is the pin policy: which
 * entry a source may reuse.
 */
public final class KernelLock {

    /**
     * One pinned kernel.
     *
     * @param source       the source description it was resolved from; a changed source invalidates the pin
     * @param packageName  the package the glob resolved to
     * @param version      its Debian version
     * @param imagePackage the package that held the vmlinuz (the same, or a linux-binary-* dependency)
     * @param sha256       sha256 of the vmlinuz
     * @param release      the image's release string
     * @param resolvedAt   when it was resolved
     * @param debSha256    sha256 of the downloaded package, .deb or .rpm (deb, rpm and mainline sources: later
     *                     downloads must match), or null
     * @param url          where the package was downloaded from (deb, rpm and mainline sources), or null
     */
    @JsonPropertyOrder({"source", "package", "version", "imagePackage", "sha256", "release", "resolved", "debSha256", "url"})
    public record Entry(String source, @JsonProperty("package") String packageName, String version, String imagePackage,
                        String sha256, String release, @JsonProperty("resolved") Instant resolvedAt,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String debSha256,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String url) {
        /** An apt pin: no .deb hash or URL of its own (apt verifies packages through the signed index). */
        public Entry(String source, String packageName, String version, String imagePackage, String sha256,
                     String release, Instant resolvedAt) {
            this(source, packageName, version, imagePackage, sha256, release, resolvedAt, null, null);
        }
    }

    /** The file: a comment for whoever opens it, and the entries by kernel id. */
    record File(String comment, Map<String, Entry> kernels) {}

    static final String COMMENT =
            "written by ringvm: the package (or .deb) and image each kernel resolved to; delete an entry to resolve it anew";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public KernelLock(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** {@code <dir of kernels.yaml>/kernels.lock}. */
    public static Path nextTo(Path kernelsYaml) {
        return kernelsYaml.toAbsolutePath().resolveSibling("kernels.lock");
    }

    public Path file() { return file; }

    /** All entries; a missing or empty file is an empty lock. */
    public Map<String, Entry> read() throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) return new TreeMap<>();
        File f;
        try {
            f = JSON.readValue(file.toFile(), File.class);
        } catch (IOException e) {
            throw new IOException(file + ": unreadable lock file (delete it to resolve anew): " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return f == null || f.kernels() == null ? new TreeMap<>() : new TreeMap<>(f.kernels());
    }

    public Optional<Entry> get(String id) throws IOException {
        return Optional.ofNullable(read().get(id));
    }

    /**
     * The pin {@code source} may reuse for kernel {@code id}: an entry written for the same source description; a
     * deb or mainline source also needs the .deb's sha256 (later downloads must match it). None with
     * {@code ignoreLock}; an entry for another source is reported and not used.
     */
    public Optional<Entry> pin(String id, KernelSource source, boolean ignoreLock, Consumer<String> log) throws IOException {
        if (ignoreLock) return Optional.empty();
        Optional<Entry> any = get(id);
        Optional<Entry> pin = any.filter(e -> source.describe().equals(e.source()) && switch (source) {
            case KernelSource.AptSource a -> true;
            case KernelSource.DebSource d -> e.debSha256() != null;
            case KernelSource.RpmSource r -> e.debSha256() != null;
            case KernelSource.MainlineSource m -> e.debSha256() != null;
            case KernelSource.PathSource p -> false;
            case KernelSource.HostSource h -> false;
            case KernelSource.BuildSource b -> false;
        });
        if (pin.isEmpty() && any.isPresent()) {
            log.accept("kernel " + id + ": source changed since kernels.lock was written; resolving anew");
        }
        return pin;
    }

    /** Sets (or replaces) the entry for {@code id}, keeping all others, atomically and under the file lock. */
    public void put(String id, Entry entry) throws IOException {
        CacheLock.<Void, RuntimeException>with(file.getParent().resolve("." + file.getFileName() + ".lck"), () -> {
            Map<String, Entry> all = read();
            all.put(id, entry);
            AtomicFiles.write(file, JSON.writeValueAsString(new File(COMMENT, all)) + "\n");
            return null;
        });
    }
}
