package dev.ringvm.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code source:} kinds of kernels.yaml, one constant per {@link KernelSource} record: its key, the keys it
 * allows besides its own, and its parser, in one place, so a new source kind is one constant (a test checks that
 * every record has one). The order is the order messages list them in.
 */
enum SourceKind {
    /**
     * Cross-field rule: {@code keyring} and {@code components} only with {@code archive}'s own check, since without an
     * archive the host's sources say which keyring signs it; a keyring must be a file now (a typo is a config error).
     */
    APT("apt", KernelSource.AptSource.class, Set.of("suite", "archive", "keyring", "components")) {
        @Override
        KernelSource parse(YamlReader r, JsonNode node, String at) throws ConfigException {
            String pkg = r.requiredString(node, "apt", at);
            if (!pkg.matches("[a-z0-9][a-z0-9+.*?\\[\\]-]*")) {
                throw r.fail(at + ".apt", "bad package name or glob \"" + pkg + "\"");
            }
            if (!node.has("suite")) {
                throw r.fail(at + ".suite", "missing (apt sources need a suite, like bookworm, trixie or noble-updates)");
            }
            String suite = suite(r, node, at);
            String archive = null;
            if (node.has("archive")) {
                archive = httpUrl(r, r.requiredString(node, "archive", at), at + ".archive");
                if (archive.endsWith("/")) archive = archive.substring(0, archive.length() - 1);
            }
            java.nio.file.Path keyring = null;
            if (node.has("keyring")) {
                keyring = r.existingFile(node, "keyring", at);
            }
            List<String> components = null;
            if (node.has("components")) {
                JsonNode c = node.get("components");
                if (!c.isArray() || c.isEmpty()) {
                    throw r.fail(at + ".components", "expected a list like [main, universe], found " + YamlReader.kind(c));
                }
                List<String> list = new java.util.ArrayList<>();
                for (int i = 0; i < c.size(); i++) {
                    JsonNode item = c.get(i);
                    if (!item.isTextual() || !item.textValue().matches("[a-z0-9][a-z0-9/_.-]*")) {
                        throw r.fail(at + ".components[" + i + "]", "bad component " + YamlReader.kind(item)
                                + " (expected a name like main or universe)");
                    }
                    if (list.contains(item.textValue())) {
                        throw r.fail(at + ".components[" + i + "]", "duplicate component \"" + item.textValue() + "\"");
                    }
                    list.add(item.textValue());
                }
                components = list;
            }
            return new KernelSource.AptSource(pkg, suite, archive, keyring, components);
        }
    },
    PATH("path", KernelSource.PathSource.class, Set.of()) {
        @Override
        KernelSource parse(YamlReader r, JsonNode node, String at) throws ConfigException {
            return new KernelSource.PathSource(r.existingFile(node, "path", at));
        }
    },
    /** A file or an http(s) URL; a file must exist now (a typo is a config error, not an unavailable kernel). */
    DEB("deb", KernelSource.DebSource.class, Set.of("sha256")) {
        @Override
        KernelSource parse(YamlReader r, JsonNode node, String at) throws ConfigException {
            return new KernelSource.DebSource(fileOrUrl(r, node, "deb", at), sha256(r, node, at));
        }
    },
    /** Like {@link #DEB}: a file that exists now, or an http(s) URL, with an optional sha256. */
    RPM("rpm", KernelSource.RpmSource.class, Set.of("sha256")) {
        @Override
        KernelSource parse(YamlReader r, JsonNode node, String at) throws ConfigException {
            return new KernelSource.RpmSource(fileOrUrl(r, node, "rpm", at), sha256(r, node, at));
        }
    },
    MAINLINE("mainline", KernelSource.MainlineSource.class, Set.of()) {
        @Override
        KernelSource parse(YamlReader r, JsonNode node, String at) throws ConfigException {
            String v = r.requiredString(node, "mainline", at);
            if (!MAINLINE_VERSION.matcher(v).matches()) {
                throw r.fail(at + ".mainline", "bad mainline version \"" + v + "\" (expected vX.Y or vX.Y.Z, like v6.5 or v6.8.12)");
            }
            return new KernelSource.MainlineSource(v);
        }
    },
    HOST("host", KernelSource.HostSource.class, Set.of()) {
        @Override
        KernelSource parse(YamlReader r, JsonNode node, String at) throws ConfigException {
            JsonNode v = node.get("host");
            if (v == null || !v.isBoolean()) {
                throw r.fail(at + ".host", "expected true, found " + (v == null ? "nothing" : YamlReader.kind(v)));
            }
            if (!v.booleanValue()) {
                throw r.fail(at + ".host", "false is not a source (remove the kernel, or write host: true)");
            }
            return new KernelSource.HostSource();
        }
    },
    /** Cross-field rule: exactly one of tree and debian-source, because the builder needs one source of truth. */
    BUILD("build", KernelSource.BuildSource.class, Set.of()) {
        @Override
        KernelSource parse(YamlReader r, JsonNode source, String sourceAt) throws ConfigException {
            JsonNode node = source.get("build");
            String at = sourceAt + ".build";
            if (node == null || !node.isObject()) {
                throw r.fail(at, "expected a mapping like { debian-source: linux-source-6.12, config: defconfig }, found "
                        + (node == null ? "nothing" : YamlReader.kind(node)));
            }
            r.unknownKeys(node, at, BUILD_KEYS);
            boolean hasTree = node.has("tree");
            boolean hasDebian = node.has("debian-source");
            if (hasTree && hasDebian) {
                throw r.fail(at, "both tree and debian-source (expected exactly one)");
            }
            if (!hasTree && !hasDebian) {
                throw r.fail(at, "no kernel source (expected exactly one of tree, debian-source)");
            }
            Path tree = null;
            String debianSource = null;
            String suite = null;
            if (hasTree) {
                if (node.has("suite")) {
                    throw r.fail(at + ".suite", "only applies to debian-source builds");
                }
                String raw = r.requiredString(node, "tree", at);
                tree = r.resolve(raw);
                if (!Files.isDirectory(tree)) {
                    throw r.fail(at + ".tree", "no such directory \"" + raw + "\" (resolved to " + tree + ")");
                }
            } else {
                debianSource = r.requiredString(node, "debian-source", at);
                if (!debianSource.matches("linux-source-\\d+\\.\\d+")) {
                    throw r.fail(at + ".debian-source", "bad Debian source package \"" + debianSource
                            + "\" (expected linux-source-X.Y, like linux-source-6.12)");
                }
                suite = node.has("suite") ? suite(r, node, at) : DEFAULT_BUILD_SUITE;
            }
            if (!node.has("config")) {
                throw r.fail(at + ".config", "missing (expected tinyconfig, defconfig or a config file)");
            }
            String config = r.requiredString(node, "config", at);
            if (!BUILD_BASE_CONFIGS.contains(config)) {
                config = r.existingFile(node, "config", at).toString();
            }
            List<Path> fragments = r.fileList(node, "fragments", at);
            List<Path> patches = r.fileList(node, "patches", at);
            return new KernelSource.BuildSource(tree, debianSource, suite, config, fragments, patches);
        }
    };

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** What Ubuntu's mainline archive names its version directories: v6.5, v6.5.13, v6.8-rc3. */
    private static final Pattern MAINLINE_VERSION = Pattern.compile("v\\d+\\.\\d+(\\.\\d+)?(-rc\\d+)?");
    private static final Set<String> BUILD_KEYS = Set.of("tree", "debian-source", "suite", "config", "fragments", "patches");
    private static final Set<String> BUILD_BASE_CONFIGS = Set.of("tinyconfig", "defconfig");
    private static final String DEFAULT_BUILD_SUITE = "trixie";

    /** The key that names the kind in a source mapping ({@code apt:}, {@code path:}, ...). */
    final String key;
    /** The record it parses into. */
    final Class<? extends KernelSource> type;
    /** Keys a source of this kind may hold besides its own. */
    final Set<String> extraKeys;

    SourceKind(String key, Class<? extends KernelSource> type, Set<String> extraKeys) {
        this.key = key;
        this.type = type;
        this.extraKeys = extraKeys;
    }

    /** The source mapping {@code node} (at field path {@code at}) of this kind, validated. */
    abstract KernelSource parse(YamlReader r, JsonNode node, String at) throws ConfigException;

    /** Exactly one kind's key, and only the keys that kind allows: then that kind's parser. */
    static KernelSource source(YamlReader r, JsonNode node, String at) throws ConfigException {
        String kindsText = String.join(", ", Arrays.stream(values()).map(k -> k.key).toList());
        if (!node.isObject()) {
            throw r.fail(at, "expected a mapping like { apt: PACKAGE, suite: SUITE } or { path: FILE }, found " + YamlReader.kind(node));
        }
        r.unknownKeys(node, at, allKeys());
        List<SourceKind> kinds = Arrays.stream(values()).filter(k -> node.has(k.key)).toList();
        if (kinds.isEmpty()) {
            throw r.fail(at, "no source kind (expected exactly one of " + kindsText + ")");
        }
        if (kinds.size() > 1) {
            throw r.fail(at, "more than one source kind " + kinds.stream().map(k -> k.key).toList()
                    + " (expected exactly one of " + kindsText + ")");
        }
        SourceKind kind = kinds.getFirst();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals(kind.key) && !kind.extraKeys.contains(key)) {
                List<String> owners = Arrays.stream(values()).filter(k -> k.extraKeys.contains(key)).map(k -> k.key).toList();
                throw r.fail(at + "." + key, "only applies to " + (owners.isEmpty() ? key : String.join(" and ", owners)) + " sources");
            }
        }
        return kind.parse(r, node, at);
    }

    /** The kind that parses into {@code type}. */
    static Optional<SourceKind> of(Class<? extends KernelSource> type) {
        return Arrays.stream(values()).filter(k -> k.type == type).findFirst();
    }

    /** Every key a source mapping may hold: the kinds' own and their extras. */
    private static Set<String> allKeys() {
        Set<String> all = new TreeSet<>();
        for (SourceKind k : values()) {
            all.add(k.key);
            all.addAll(k.extraKeys);
        }
        return all;
    }

    /** The {@code key} of a package source: an http(s) URL as written, or an existing file made absolute. */
    private static String fileOrUrl(YamlReader r, JsonNode node, String key, String at) throws ConfigException {
        String raw = r.requiredString(node, key, at);
        if (raw.matches("(?i)https?://.*")) {
            return httpUrl(r, raw, at + "." + key);
        }
        if (raw.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
            throw r.fail(at + "." + key, "unsupported URL scheme in \"" + raw + "\" (expected a file, http:// or https://)");
        }
        return r.existingFile(node, key, at).toString();
    }

    /** {@code raw} when it is an http(s) URL with a host. */
    private static String httpUrl(YamlReader r, String raw, String path) throws ConfigException {
        if (!raw.matches("(?i)https?://.*")) {
            throw r.fail(path, "expected an http:// or https:// URL, found \"" + raw + "\"");
        }
        try {
            java.net.URI uri = new java.net.URI(raw);
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw r.fail(path, "URL without a host \"" + raw + "\"");
            }
        } catch (java.net.URISyntaxException e) {
            throw r.fail(path, "bad URL \"" + raw + "\": " + ConfigLoader.oneLine(e.getReason()));
        }
        return raw;
    }

    /** The optional {@code sha256} of a package source, or null. */
    private static String sha256(YamlReader r, JsonNode node, String at) throws ConfigException {
        if (!node.has("sha256")) return null;
        String sha = r.requiredString(node, "sha256", at);
        if (!SHA256.matcher(sha).matches()) {
            throw r.fail(at + ".sha256", "bad sha256 \"" + sha + "\" (expected 64 lower-case hex digits)");
        }
        return sha;
    }

    private static String suite(YamlReader r, JsonNode node, String at) throws ConfigException {
        String suite = r.requiredString(node, "suite", at);
        if (!suite.matches("[a-z0-9][a-z0-9.-]*")) {
            throw r.fail(at + ".suite", "bad suite name \"" + suite + "\"");
        }
        return suite;
    }
}
