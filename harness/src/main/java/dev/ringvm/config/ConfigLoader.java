package dev.ringvm.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates kernels.yaml from a Jackson tree (no data binding, so every rule and message is
 * explicit here). Every {@link ConfigException} message is one line: {@code FILE: FIELD-PATH: problem}.
 */
public final class ConfigLoader {

    /** Smallest guest memory the guest (kernel + busybox + jlinked JRE) can boot in. */
    public static final int MIN_MEMORY_MIB = 128;
    /** Upper bound so sizes stay far from int overflow and from typos like 2000G. */
    public static final int MAX_MEMORY_MIB = 1024 * 1024;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*(M|MiB|G|GiB)", Pattern.CASE_INSENSITIVE);
    private static final Set<String> TOP_KEYS = Set.of("memory", "kernels");
    private static final Set<String> KERNEL_KEYS = Set.of("id", "source", "expect");
    private static final List<String> SOURCE_KINDS = List.of("apt", "path", "deb", "mainline", "host", "build");
    /** Keys each source kind accepts besides its own; the union is what a source mapping may hold at all. */
    private static final Map<String, Set<String>> KIND_EXTRA_KEYS = Map.of(
            "apt", Set.of("suite"), "path", Set.of(), "deb", Set.of("sha256"), "mainline", Set.of(),
            "host", Set.of(), "build", Set.of());
    private static final Set<String> SOURCE_KEYS = Set.of("apt", "suite", "path", "deb", "sha256", "mainline", "host", "build");
    private static final Set<String> BUILD_KEYS = Set.of("tree", "debian-source", "suite", "config", "fragments", "patches");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** What Ubuntu's mainline archive names its version directories: v6.5, v6.5.13, v6.8-rc3. */
    private static final Pattern MAINLINE_VERSION = Pattern.compile("v\\d+\\.\\d+(\\.\\d+)?(-rc\\d+)?");
    private static final Set<String> BUILD_BASE_CONFIGS = Set.of("tinyconfig", "defconfig");
    private static final String DEFAULT_BUILD_SUITE = "trixie";

    private ConfigLoader() {}

    /** Loads {@code file}; relative {@code path:} sources resolve against the file's directory. */
    public static MatrixConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + oneLine(e.getMessage()), e);
        }
        JsonNode root;
        try {
            YAMLMapper mapper = new YAMLMapper(new YAMLFactory());
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
            throw new ConfigException(name + ": " + where + "YAML syntax error: " + oneLine(e.getOriginalMessage()), e);
        }
        return new Validator(file, name).matrix(root);
    }

    /** Parses {@code 512M,2G} (the {@code --memory} option) into MiB, in order, no duplicates. */
    public static List<Integer> parseMemoryList(String csv) throws ConfigException {
        if (csv == null || csv.isBlank()) {
            throw new ConfigException("--memory: empty list (expected sizes like 512M,2G)");
        }
        List<Integer> out = new ArrayList<>();
        for (String item : csv.split(",", -1)) {
            int mib;
            try {
                mib = parseMemoryMiB(item.trim());
            } catch (ConfigException e) {
                throw new ConfigException("--memory: " + e.getMessage());
            }
            if (out.contains(mib)) {
                throw new ConfigException("--memory: duplicate size \"" + item.trim() + "\"");
            }
            out.add(mib);
        }
        return List.copyOf(out);
    }

    /** Parses one size ({@code 512M}, {@code 2G}, {@code 512MiB}, {@code 2GiB}) into MiB, at least 128M. */
    public static int parseMemoryMiB(String size) throws ConfigException {
        Matcher m = SIZE.matcher(size == null ? "" : size.trim());
        if (!m.matches()) {
            throw new ConfigException("bad memory size \"" + size + "\" (expected a number with M or G, like 512M or 2G)");
        }
        long n = Long.parseLong(m.group(1));
        long mib = m.group(2).toUpperCase().startsWith("G") ? n * 1024 : n;
        if (mib < MIN_MEMORY_MIB) {
            throw new ConfigException("memory size \"" + size + "\" is below the minimum of " + MIN_MEMORY_MIB + "M");
        }
        if (mib > MAX_MEMORY_MIB) {
            throw new ConfigException("memory size \"" + size + "\" is above the maximum of 1024G");
        }
        return (int) mib;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** One pass over the tree; {@code fail} prefixes file and field path. */
    private static final class Validator {
        private final Path file;
        private final String name;

        Validator(Path file, String name) {
            this.file = file;
            this.name = name;
        }

        ConfigException fail(String path, String problem) {
            return new ConfigException(name + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
        }

        MatrixConfig matrix(JsonNode root) throws ConfigException {
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw fail("", "empty file (expected a mapping with a kernels: list)");
            }
            if (!root.isObject()) {
                throw fail("", "expected a mapping at the top level, found " + kind(root));
            }
            unknownKeys(root, "", TOP_KEYS);
            List<Integer> memory = root.has("memory") ? memory(root.get("memory")) : MatrixConfig.DEFAULT_MEMORY_MIB;
            JsonNode kernels = root.get("kernels");
            if (kernels == null || kernels.isNull()) {
                throw fail("kernels", "missing (expected a list of { id, source } entries)");
            }
            if (!kernels.isArray()) {
                throw fail("kernels", "expected a list, found " + kind(kernels));
            }
            if (kernels.isEmpty()) {
                throw fail("kernels", "empty list (at least one kernel is needed)");
            }
            List<KernelEntry> entries = new ArrayList<>();
            Map<String, Integer> firstIndex = new HashMap<>();
            for (int i = 0; i < kernels.size(); i++) {
                String at = "kernels[" + i + "]";
                KernelEntry entry = kernel(kernels.get(i), at);
                Integer first = firstIndex.putIfAbsent(entry.id(), i);
                if (first != null) {
                    throw fail(at + ".id", "duplicate id \"" + entry.id() + "\" (first at kernels[" + first + "])");
                }
                entries.add(entry);
            }
            return new MatrixConfig(file, entries, memory);
        }

        List<Integer> memory(JsonNode node) throws ConfigException {
            List<JsonNode> items = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(items::add);
            } else if (node.isValueNode() && !node.isNull()) {
                items.add(node);
            } else {
                throw fail("memory", "expected a list of sizes like [512M, 2G], found " + kind(node));
            }
            if (items.isEmpty()) {
                throw fail("memory", "empty list (omit the key for the default [512M, 2G])");
            }
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = node.isArray() ? "memory[" + i + "]" : "memory";
                JsonNode item = items.get(i);
                if (item.isNumber()) {
                    throw fail(at, "size " + item.asText() + " needs a unit (like " + item.asText() + "M)");
                }
                if (!item.isTextual()) {
                    throw fail(at, "expected a size like 512M, found " + kind(item));
                }
                int mib;
                try {
                    mib = parseMemoryMiB(item.textValue());
                } catch (ConfigException e) {
                    throw fail(at, e.getMessage());
                }
                if (out.contains(mib)) {
                    throw fail(at, "duplicate size \"" + item.textValue() + "\"");
                }
                out.add(mib);
            }
            return List.copyOf(out);
        }

        KernelEntry kernel(JsonNode node, String at) throws ConfigException {
            if (!node.isObject()) {
                throw fail(at, "expected a mapping with id and source, found " + kind(node));
            }
            unknownKeys(node, at, KERNEL_KEYS);
            String id = requiredString(node, "id", at);
            if (!ID.matcher(id).matches()) {
                throw fail(at + ".id", "bad id \"" + id + "\" (allowed: letters, digits, '.', '_', '-')");
            }
            JsonNode source = node.get("source");
            if (source == null || source.isNull()) {
                throw fail(at + ".source", "missing (expected { apt: PACKAGE, suite: SUITE } or { path: FILE })");
            }
            return new KernelEntry(id, source(source, at + ".source"), expect(node.get("expect"), at + ".expect"));
        }

        /** {@code expect: { reason: TEXT, release-as: 6.5.0, multi-4k: ok|EINVAL, ... }}; null when absent. */
        Expectations expect(JsonNode node, String at) throws ConfigException {
            if (node == null || node.isNull()) return null;
            if (!node.isObject()) throw fail(at, "expected a mapping like { reason: TEXT, multi-4k: ok }, found " + kind(node));
            Map<String, Set<String>> outcomes = new HashMap<>();
            String releaseAs = null;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (key.equals("reason")) continue;
                if (key.equals("release-as")) {
                    releaseAs = requiredString(node, key, at);
                    if (!releaseAs.matches("\\d+\\.\\d+(\\.\\d+)?(-rc\\d+)?")) {
                        throw fail(at + ".release-as", "bad version \"" + releaseAs + "\" (expected like 6.5.0 or 6.7-rc3)");
                    }
                    continue;
                }
                if (!Expectations.KEYS.contains(key)) {
                    throw fail(at + "." + key, "unknown case class (expected reason, release-as or one of " + Expectations.KEYS + ")");
                }
                Set<String> allowed = Expectations.parseOutcomes(node.get(key).asText(""));
                if (allowed == null || !node.get(key).isValueNode()) {
                    throw fail(at + "." + key, "bad outcome \"" + node.get(key).asText() + "\" (expected ok, an errno name like EINVAL, or several joined by |)");
                }
                outcomes.put(key, allowed);
            }
            if (!node.has("reason")) throw fail(at + ".reason", "missing (say why this kernel differs from upstream)");
            return new Expectations(requiredString(node, "reason", at), releaseAs, outcomes);
        }

        KernelSource source(JsonNode node, String at) throws ConfigException {
            String kindsText = String.join(", ", SOURCE_KINDS);
            if (!node.isObject()) {
                throw fail(at, "expected a mapping like { apt: PACKAGE, suite: SUITE } or { path: FILE }, found " + kind(node));
            }
            unknownKeys(node, at, SOURCE_KEYS);
            List<String> kinds = SOURCE_KINDS.stream().filter(node::has).toList();
            if (kinds.isEmpty()) {
                throw fail(at, "no source kind (expected exactly one of " + kindsText + ")");
            }
            if (kinds.size() > 1) {
                throw fail(at, "more than one source kind " + kinds + " (expected exactly one of " + kindsText + ")");
            }
            String kind = kinds.getFirst();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals(kind) && !KIND_EXTRA_KEYS.get(kind).contains(key)) {
                    String owner = KIND_EXTRA_KEYS.entrySet().stream().filter(e -> e.getValue().contains(key))
                            .map(Map.Entry::getKey).findFirst().orElse(key);
                    throw fail(at + "." + key, "only applies to " + owner + " sources");
                }
            }
            return switch (kind) {
                case "apt" -> apt(node, at);
                case "path" -> new KernelSource.PathSource(existingFile(node, "path", at));
                case "deb" -> deb(node, at);
                case "mainline" -> mainline(node, at);
                case "host" -> host(node, at);
                case "build" -> build(node.get("build"), at + ".build");
                default -> throw new IllegalStateException(kind);
            };
        }

        KernelSource apt(JsonNode node, String at) throws ConfigException {
            String pkg = requiredString(node, "apt", at);
            if (!pkg.matches("[a-z0-9][a-z0-9+.*?\\[\\]-]*")) {
                throw fail(at + ".apt", "bad package name or glob \"" + pkg + "\"");
            }
            if (!node.has("suite")) {
                throw fail(at + ".suite", "missing (apt sources need a suite, like bookworm or trixie)");
            }
            return new KernelSource.AptSource(pkg, suite(node, at));
        }

        String suite(JsonNode node, String at) throws ConfigException {
            String suite = requiredString(node, "suite", at);
            if (!suite.matches("[a-z0-9][a-z0-9.-]*")) {
                throw fail(at + ".suite", "bad suite name \"" + suite + "\"");
            }
            return suite;
        }

        /** A file or an http(s) URL; a file must exist now (a typo is a config error, not an unavailable kernel). */
        KernelSource deb(JsonNode node, String at) throws ConfigException {
            String raw = requiredString(node, "deb", at);
            String location;
            if (raw.matches("(?i)https?://.*")) {
                try {
                    java.net.URI uri = new java.net.URI(raw);
                    if (uri.getHost() == null || uri.getHost().isEmpty()) {
                        throw fail(at + ".deb", "URL without a host \"" + raw + "\"");
                    }
                } catch (java.net.URISyntaxException e) {
                    throw fail(at + ".deb", "bad URL \"" + raw + "\": " + oneLine(e.getReason()));
                }
                location = raw;
            } else if (raw.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
                throw fail(at + ".deb", "unsupported URL scheme in \"" + raw + "\" (expected a file, http:// or https://)");
            } else {
                location = existingFile(node, "deb", at).toString();
            }
            String sha = null;
            if (node.has("sha256")) {
                sha = requiredString(node, "sha256", at);
                if (!SHA256.matcher(sha).matches()) {
                    throw fail(at + ".sha256", "bad sha256 \"" + sha + "\" (expected 64 lower-case hex digits)");
                }
            }
            return new KernelSource.DebSource(location, sha);
        }

        KernelSource mainline(JsonNode node, String at) throws ConfigException {
            String v = requiredString(node, "mainline", at);
            if (!MAINLINE_VERSION.matcher(v).matches()) {
                throw fail(at + ".mainline", "bad mainline version \"" + v + "\" (expected vX.Y or vX.Y.Z, like v6.5 or v6.8.12)");
            }
            return new KernelSource.MainlineSource(v);
        }

        KernelSource host(JsonNode node, String at) throws ConfigException {
            JsonNode v = node.get("host");
            if (v == null || !v.isBoolean()) {
                throw fail(at + ".host", "expected true, found " + (v == null ? "nothing" : kind(v)));
            }
            if (!v.booleanValue()) {
                throw fail(at + ".host", "false is not a source (remove the kernel, or write host: true)");
            }
            return new KernelSource.HostSource();
        }

        /** Cross-field rule: exactly one of tree and debian-source, because the builder needs one source of truth. */
        KernelSource build(JsonNode node, String at) throws ConfigException {
            if (node == null || !node.isObject()) {
                throw fail(at, "expected a mapping like { debian-source: linux-source-6.12, config: defconfig }, found "
                        + (node == null ? "nothing" : kind(node)));
            }
            unknownKeys(node, at, BUILD_KEYS);
            boolean hasTree = node.has("tree");
            boolean hasDebian = node.has("debian-source");
            if (hasTree && hasDebian) {
                throw fail(at, "both tree and debian-source (expected exactly one)");
            }
            if (!hasTree && !hasDebian) {
                throw fail(at, "no kernel source (expected exactly one of tree, debian-source)");
            }
            Path tree = null;
            String debianSource = null;
            String suite = null;
            if (hasTree) {
                if (node.has("suite")) {
                    throw fail(at + ".suite", "only applies to debian-source builds");
                }
                String raw = requiredString(node, "tree", at);
                tree = resolve(raw);
                if (!Files.isDirectory(tree)) {
                    throw fail(at + ".tree", "no such directory \"" + raw + "\" (resolved to " + tree + ")");
                }
            } else {
                debianSource = requiredString(node, "debian-source", at);
                if (!debianSource.matches("linux-source-\\d+\\.\\d+")) {
                    throw fail(at + ".debian-source", "bad Debian source package \"" + debianSource
                            + "\" (expected linux-source-X.Y, like linux-source-6.12)");
                }
                suite = node.has("suite") ? suite(node, at) : DEFAULT_BUILD_SUITE;
            }
            if (!node.has("config")) {
                throw fail(at + ".config", "missing (expected tinyconfig, defconfig or a config file)");
            }
            String config = requiredString(node, "config", at);
            if (!BUILD_BASE_CONFIGS.contains(config)) {
                config = existingFile(node, "config", at).toString();
            }
            List<Path> fragments = fileList(node, "fragments", at);
            List<Path> patches = fileList(node, "patches", at);
            return new KernelSource.BuildSource(tree, debianSource, suite, config, fragments, patches);
        }

        List<Path> fileList(JsonNode parent, String key, String at) throws ConfigException {
            String path = at + "." + key;
            JsonNode v = parent.get(key);
            if (v == null || v.isNull()) return List.of();
            if (!v.isArray()) {
                throw fail(path, "expected a list of files, found " + kind(v));
            }
            List<Path> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                String itemPath = path + "[" + i + "]";
                if (!item.isTextual() || item.textValue().isBlank()) {
                    throw fail(itemPath, "expected a file name, found " + kind(item));
                }
                out.add(checkFile(item.textValue(), itemPath));
            }
            return out;
        }

        Path resolve(String raw) {
            return file.toAbsolutePath().getParent().resolve(raw).normalize();
        }

        Path existingFile(JsonNode node, String key, String at) throws ConfigException {
            return checkFile(requiredString(node, key, at), at + "." + key);
        }

        Path checkFile(String raw, String path) throws ConfigException {
            Path resolved = resolve(raw);
            if (!Files.exists(resolved)) {
                throw fail(path, "no such file \"" + raw + "\" (resolved to " + resolved + ")");
            }
            if (!Files.isRegularFile(resolved)) {
                throw fail(path, "not a regular file \"" + raw + "\" (resolved to " + resolved + ")");
            }
            return resolved;
        }

        String requiredString(JsonNode parent, String key, String at) throws ConfigException {
            String path = at.isEmpty() ? key : at + "." + key;
            JsonNode v = parent.get(key);
            if (v == null || v.isNull()) {
                throw fail(path, "missing");
            }
            if (v.isNumber() || v.isBoolean()) {
                throw fail(path, "expected a string, found " + kind(v) + " " + v.asText() + " (quote it)");
            }
            if (!v.isTextual()) {
                throw fail(path, "expected a string, found " + kind(v));
            }
            if (v.textValue().isBlank()) {
                throw fail(path, "empty");
            }
            return v.textValue();
        }

        void unknownKeys(JsonNode node, String at, Set<String> allowed) throws ConfigException {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw fail(at.isEmpty() ? key : at + "." + key,
                            "unknown key (expected one of " + allowed.stream().sorted().toList() + ")");
                }
            }
        }

        static String kind(JsonNode n) {
            JsonNodeType t = n.getNodeType();
            return switch (t) {
                case ARRAY -> "a list";
                case OBJECT, POJO -> "a mapping";
                case STRING -> "a string \"" + n.textValue() + "\"";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL, MISSING -> "nothing";
                case BINARY -> "binary data";
            };
        }
    }
}
