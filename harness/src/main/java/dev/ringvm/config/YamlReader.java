package dev.ringvm.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed access to one kernels.yaml tree: every failure is a {@link ConfigException} of one line,
 * {@code FILE: FIELD-PATH: problem}; relative file names resolve against the file's directory.
 */
final class YamlReader {
    private final Path file;
    private final String name;

    YamlReader(Path file, String name) {
        this.file = file;
        this.name = name;
    }

    Path file() {
        return file;
    }

    ConfigException fail(String path, String problem) {
        return new ConfigException(name + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
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
