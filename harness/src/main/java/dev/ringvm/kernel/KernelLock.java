package dev.ringvm.kernel;

import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.CacheLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * kernels.lock: the package, version and image sha256 each apt kernel resolved to, keyed by kernel id, so a
 * later run boots the same bytes without asking the network. JSON, sorted by id, rewritten whole through a
 * temp file and an atomic rename while holding a file lock on a sidecar {@code .kernels.lock.lck}
 * (the lock file itself is replaced on every write, so it cannot carry the lock).
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
     * @param debSha256    sha256 of the downloaded .deb (deb and mainline sources: later downloads must match), or null
     * @param url          where the .deb was downloaded from (deb and mainline sources), or null
     */
    public record Entry(String source, String packageName, String version, String imagePackage, String sha256,
                        String release, Instant resolvedAt, String debSha256, String url) {
        /** An apt pin: no .deb hash or URL of its own (apt verifies packages through the signed index). */
        public Entry(String source, String packageName, String version, String imagePackage, String sha256,
                     String release, Instant resolvedAt) {
            this(source, packageName, version, imagePackage, sha256, release, resolvedAt, null, null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public KernelLock(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** {@code <dir of kernels.yaml>/kernels.lock}. */
    public static Path nextTo(Path kernelsYaml) {
        return kernelsYaml.toAbsolutePath().resolveSibling("kernels.lock");
    }

    public Path file() { return file; }

    /** All entries; a missing file is an empty lock. */
    public Map<String, Entry> read() throws IOException {
        if (!Files.exists(file)) return new TreeMap<>();
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": unreadable lock file (delete it to resolve anew): " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        Map<String, Entry> out = new TreeMap<>();
        JsonNode kernels = root == null ? null : root.get("kernels");
        if (kernels == null || !kernels.isObject()) return out;
        for (Iterator<Map.Entry<String, JsonNode>> it = kernels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            String resolved = text(n, "resolved");
            out.put(e.getKey(), new Entry(text(n, "source"), text(n, "package"), text(n, "version"), text(n, "imagePackage"),
                    text(n, "sha256"), text(n, "release"), resolved == null ? null : Instant.parse(resolved),
                    text(n, "debSha256"), text(n, "url")));
        }
        return out;
    }

    public Optional<Entry> get(String id) throws IOException {
        return Optional.ofNullable(read().get(id));
    }

    /** Sets (or replaces) the entry for {@code id}, keeping all others, atomically and under the file lock. */
    public void put(String id, Entry entry) throws IOException {
        Path dir = file.getParent();
        CacheLock.<Void, RuntimeException>with(dir.resolve("." + file.getFileName() + ".lck"), () -> {
            Map<String, Entry> all = read();
            all.put(id, entry);
            ObjectNode root = JSON.createObjectNode();
            root.put("comment", "written by ringvm: the package (or .deb) and image each kernel resolved to; delete an entry to resolve it anew");
            ObjectNode kernels = root.putObject("kernels");
            all.forEach((k, e) -> {
                ObjectNode n = kernels.putObject(k);
                n.put("source", e.source());
                n.put("package", e.packageName());
                n.put("version", e.version());
                n.put("imagePackage", e.imagePackage());
                n.put("sha256", e.sha256());
                n.put("release", e.release());
                n.put("resolved", e.resolvedAt() == null ? null : e.resolvedAt().toString());
                if (e.debSha256() != null) n.put("debSha256", e.debSha256());
                if (e.url() != null) n.put("url", e.url());
            });
            AtomicFiles.write(file, JSON.writeValueAsString(root) + "\n");
            return null;
        });
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
