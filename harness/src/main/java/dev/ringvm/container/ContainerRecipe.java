package dev.ringvm.container;

import dev.ringvm.host.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The QEMU image recipe ({@code vm-images/container/qemu.recipe}, shipped in the jar): what debootstrap installs
 * and what is removed before import. The image tag is a hash of the recipe text, so an edited recipe is a new image
 * and an unchanged one is reused.
 *
 * @param suite   Debian suite debootstrap installs
 * @param variant debootstrap variant (minbase: essential packages and apt only)
 * @param include packages added on top, with their dependencies (debootstrap never installs recommends)
 * @param remove  paths relative to the root filesystem deleted before import (caches, documentation)
 * @param hash    sha256 of the recipe text and {@link #FORMAT}
 */
public record ContainerRecipe(String suite, String variant, List<String> include, List<String> remove, String hash) {
    static final String RESOURCE = "/vm-images/container/qemu.recipe";
    /** Part of the hash: bump when the builder changes what the same recipe text produces. */
    static final String FORMAT = "ringvm-container-recipe-1";
    public static final String REPOSITORY = "ringvm/qemu";
    private static final Set<String> KEYS = Set.of("suite", "variant", "include", "remove");

    public ContainerRecipe {
        include = List.copyOf(include);
        remove = List.copyOf(remove);
    }

    /** The recipe packaged with ringvm. */
    public static ContainerRecipe bundled() {
        try (InputStream in = ContainerRecipe.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the ringvm jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** {@code key=value} lines, {@code #} comments; lists are comma-separated. Pure; unit tested. */
    public static ContainerRecipe parse(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("recipe line is not key=value: " + line);
            String key = line.substring(0, eq).strip();
            if (!KEYS.contains(key)) throw new IllegalArgumentException("recipe: unknown key " + key + " (known: " + KEYS + ")");
            kv.put(key, line.substring(eq + 1).strip());
        }
        for (String k : List.of("suite", "variant", "include")) {
            if (kv.getOrDefault(k, "").isEmpty()) throw new IllegalArgumentException("recipe: " + k + " is missing");
        }
        List<String> remove = list(kv.getOrDefault("remove", ""));
        for (String r : remove) {
            if (r.startsWith("/") || Arrays.asList(r.split("/")).contains("..")) {
                throw new IllegalArgumentException("recipe: remove path must be relative and stay inside the tree: " + r);
            }
        }
        return new ContainerRecipe(kv.get("suite"), kv.get("variant"), list(kv.get("include")), remove, Sha256.hex(FORMAT + "\n" + text));
    }

    /** {@code ringvm/qemu:<12 hex digits>}. */
    public String tag() {
        return REPOSITORY + ":" + hash.substring(0, 12);
    }

    /** debootstrap's argv for this recipe: a root filesystem in {@code target} from {@code mirror}. */
    public List<String> debootstrapArgv(String debootstrap, String mirror, Path target) {
        List<String> a = new ArrayList<>(List.of(debootstrap, "--variant=" + variant, "--include=" + String.join(",", include),
                suite, target.toString(), mirror));
        return List.copyOf(a);
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
