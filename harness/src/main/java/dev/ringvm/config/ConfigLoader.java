package dev.ringvm.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
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
    private static final Set<String> KERNEL_KEYS = Set.of("id", "source", "expect", "unprivileged", "arch");

    /** The largest kernels.yaml read. */
    static final long MAX_FILE_BYTES = 1L << 20;

    private ConfigLoader() {}

    /** Loads {@code file}; relative {@code path:} sources resolve against the file's directory. */
    public static MatrixConfig load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            // a matrix is a few KiB; the YAML parser needs tens of seconds to refuse a 10 MB line
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(name + ": " + size + " bytes, too large for a matrix file (at most "
                        + (MAX_FILE_BYTES >> 20) + " MiB)");
            }
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
            refuseAliases(mapper, text, name);
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
            throw new ConfigException(name + ": " + where + "YAML syntax error: " + oneLine(e.getOriginalMessage()), e);
        }
        return new Validator(new YamlReader(file, name)).matrix(root);
    }

    /**
     * Anchors ({@code &k}) and aliases ({@code *k}) are refused with the line they are on: Jackson's tree reads an
     * alias as a string holding the anchor's name ({@code path: *k} would be a file named "k"), so they cannot be
     * honoured; writing the value out is the fix.
     */
    private static void refuseAliases(YAMLMapper mapper, String text, String name)
            throws JsonProcessingException, ConfigException {
        try (JsonParser p = mapper.createParser(text)) {
            while (p.nextToken() != null) {
                if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y
                        && (y.isCurrentAlias() || y.getObjectId() != null)) {
                    JsonLocation loc = p.currentTokenLocation();
                    String what = y.isCurrentAlias() ? "alias *" + y.getText() : "anchor &" + y.getObjectId();
                    throw new ConfigException(name + ": line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                            + ": YAML " + what + ": anchors and aliases are not supported in kernels.yaml; write the"
                            + " value out in full");
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + oneLine(e.getMessage()), e);
        }
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

    /** One pass over the tree: the matrix, its memory sizes and kernels; each kernel's source is {@link SourceKind}'s. */
    private static final class Validator {
        private final YamlReader r;

        Validator(YamlReader r) {
            this.r = r;
        }

        MatrixConfig matrix(JsonNode root) throws ConfigException {
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw r.fail("", "empty file (expected a mapping with a kernels: list)");
            }
            if (!root.isObject()) {
                throw r.fail("", "expected a mapping at the top level, found " + YamlReader.kind(root));
            }
            r.unknownKeys(root, "", TOP_KEYS);
            List<Integer> memory = root.has("memory") ? memory(root.get("memory")) : MatrixConfig.DEFAULT_MEMORY_MIB;
            JsonNode kernels = root.get("kernels");
            if (kernels == null || kernels.isNull()) {
                throw r.fail("kernels", "missing (expected a list of { id, source } entries)");
            }
            if (!kernels.isArray()) {
                throw r.fail("kernels", "expected a list, found " + YamlReader.kind(kernels));
            }
            if (kernels.isEmpty()) {
                throw r.fail("kernels", "empty list (at least one kernel is needed)");
            }
            List<KernelEntry> entries = new ArrayList<>();
            Map<String, Integer> firstIndex = new HashMap<>();
            for (int i = 0; i < kernels.size(); i++) {
                String at = "kernels[" + i + "]";
                KernelEntry entry = kernel(kernels.get(i), at);
                Integer first = firstIndex.putIfAbsent(entry.id(), i);
                if (first != null) {
                    throw r.fail(at + ".id", "duplicate id \"" + entry.id() + "\" (first at kernels[" + first + "])");
                }
                entries.add(entry);
            }
            return new MatrixConfig(r.file(), entries, memory);
        }

        List<Integer> memory(JsonNode node) throws ConfigException {
            List<JsonNode> items = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(items::add);
            } else if (node.isValueNode() && !node.isNull()) {
                items.add(node);
            } else {
                throw r.fail("memory", "expected a list of sizes like [512M, 2G], found " + YamlReader.kind(node));
            }
            if (items.isEmpty()) {
                throw r.fail("memory", "empty list (omit the key for the default [512M, 2G])");
            }
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = node.isArray() ? "memory[" + i + "]" : "memory";
                JsonNode item = items.get(i);
                if (item.isNumber()) {
                    throw r.fail(at, "size " + item.asText() + " needs a unit (like " + item.asText() + "M)");
                }
                if (!item.isTextual()) {
                    throw r.fail(at, "expected a size like 512M, found " + YamlReader.kind(item));
                }
                int mib;
                try {
                    mib = parseMemoryMiB(item.textValue());
                } catch (ConfigException e) {
                    throw r.fail(at, e.getMessage());
                }
                if (out.contains(mib)) {
                    throw r.fail(at, "duplicate size \"" + item.textValue() + "\"");
                }
                out.add(mib);
            }
            return List.copyOf(out);
        }

        KernelEntry kernel(JsonNode node, String at) throws ConfigException {
            if (!node.isObject()) {
                throw r.fail(at, "expected a mapping with id and source, found " + YamlReader.kind(node));
            }
            r.unknownKeys(node, at, KERNEL_KEYS);
            String id = r.requiredString(node, "id", at);
            if (id.equals(".") || id.equals("..")) {
                throw r.fail(at + ".id", "bad id \"" + id + "\" (it names a directory: run directories and logs are"
                        + " named after ids)");
            }
            if (!ID.matcher(id).matches()) {
                throw r.fail(at + ".id", "bad id \"" + id + "\" (allowed: letters, digits, '.', '_', '-')");
            }
            JsonNode source = node.get("source");
            if (source == null || source.isNull()) {
                throw r.fail(at + ".source", "missing (expected { apt: PACKAGE, suite: SUITE } or { path: FILE })");
            }
            KernelSource src = SourceKind.source(r, source, at + ".source");
            Integer memlock = memlock(node.get("unprivileged"), at + ".unprivileged");
            if (memlock != null && src instanceof KernelSource.HostSource) {
                throw r.fail(at + ".unprivileged", "needs a VM: a host: true kernel runs the probe as ringvm's own user");
            }
            Arch arch = arch(node.get("arch"), at + ".arch");
            if (arch != Arch.DEFAULT && src instanceof KernelSource.HostSource) {
                throw r.fail(at + ".arch", "a host: true kernel is the running kernel; its architecture is the host's");
            }
            return new KernelEntry(id, src, expect(node.get("expect"), at + ".expect"), memlock, arch);
        }

        /** {@code arch: arm64}: the guest architecture; x86-64 when absent. */
        Arch arch(JsonNode node, String at) throws ConfigException {
            if (node == null || node.isNull()) return Arch.DEFAULT;
            if (!node.isTextual()) throw r.fail(at, "expected one of " + Arch.names() + ", found " + YamlReader.kind(node));
            return Arch.parse(node.asText()).orElseThrow(() ->
                    r.fail(at, "unknown architecture \"" + node.asText() + "\" (expected one of " + Arch.names() + ")"));
        }

        /**
         * {@code unprivileged: 64K}: the probe runs as an unprivileged user (uid 65534, no CAP_IPC_LOCK) with
         * RLIMIT_MEMLOCK set to that size (K, M or G; at least 4K, at most 1G); null when absent.
         */
        Integer memlock(JsonNode node, String at) throws ConfigException {
            if (node == null || node.isNull()) return null;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,7})([KMG])").matcher(node.asText());
            if (!node.isTextual() || !m.matches()) {
                throw r.fail(at, "bad size \"" + node.asText() + "\" (expected RLIMIT_MEMLOCK like 64K or 8M)");
            }
            long kib = Long.parseLong(m.group(1)) * switch (m.group(2)) {
                case "K" -> 1L;
                case "M" -> 1024L;
                default -> 1024L * 1024;
            };
            if (kib < 4 || kib > 1024L * 1024) {
                throw r.fail(at, "size " + node.asText() + " out of range (4K..1G)");
            }
            return (int) kib;
        }

        /** {@code expect: { reason: TEXT, release-as: 6.5.0, multi-4k: ok|EINVAL, ... }}; null when absent. */
        Expectations expect(JsonNode node, String at) throws ConfigException {
            if (node == null || node.isNull()) return null;
            if (!node.isObject()) throw r.fail(at, "expected a mapping like { reason: TEXT, multi-4k: ok }, found " + YamlReader.kind(node));
            Map<String, Set<String>> outcomes = new HashMap<>();
            String releaseAs = null;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (key.equals("reason")) continue;
                if (key.equals("release-as")) {
                    releaseAs = r.requiredString(node, key, at);
                    if (!releaseAs.matches("\\d+\\.\\d+(\\.\\d+)?(-rc\\d+)?")) {
                        throw r.fail(at + ".release-as", "bad version \"" + releaseAs + "\" (expected like 6.5.0 or 6.7-rc3)");
                    }
                    continue;
                }
                if (!Expectations.KEYS.contains(key)) {
                    throw r.fail(at + "." + key, "unknown case class (expected reason, release-as or one of " + Expectations.KEYS + ")");
                }
                Set<String> allowed = Expectations.parseOutcomes(node.get(key).asText(""));
                if (allowed == null || !node.get(key).isValueNode()) {
                    throw r.fail(at + "." + key, "bad outcome \"" + node.get(key).asText() + "\" (expected ok, an errno name like EINVAL, or several joined by |)");
                }
                outcomes.put(key, allowed);
            }
            if (!node.has("reason")) throw r.fail(at + ".reason", "missing (say why this kernel differs from upstream)");
            return new Expectations(r.requiredString(node, "reason", at), releaseAs, outcomes);
        }
    }
}
