package dev.ringvm.kernel.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kconfig fragment checks. {@code make olddefconfig} silently drops an option whose dependency is missing, so
 * after merging every option a fragment sets is looked up in the final .config and the build fails listing the
 * ones that did not survive.
 */
final class ConfigFragments {
    private static final Pattern SET = Pattern.compile("(CONFIG_[A-Za-z0-9_]+)=(.*)");
    private static final Pattern UNSET = Pattern.compile("# (CONFIG_[A-Za-z0-9_]+) is not set");
    /** What Kconfig writes for an unset bool/tristate; "=n" in a fragment means the same. */
    static final String NOT_SET = "n";

    private ConfigFragments() {}

    /** Option -> value ("y", "m", "4", "\"str\"", or {@link #NOT_SET}) in file order. */
    static Map<String, String> parse(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            Matcher s = SET.matcher(line);
            Matcher u = UNSET.matcher(line);
            if (s.matches()) {
                m.put(s.group(1), s.group(2).equals("n") ? NOT_SET : s.group(2));
            } else if (u.matches()) {
                m.put(u.group(1), NOT_SET);
            }
        }
        return m;
    }

    static Map<String, String> parse(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    /**
     * The options the fragments ask for that the final config does not have, one per entry as
     * {@code CONFIG_X=wanted (got: value|not set)}; later fragments override earlier ones, as merge_config does.
     */
    static List<String> missing(List<Map<String, String>> fragments, Map<String, String> finalConfig) {
        Map<String, String> wanted = new LinkedHashMap<>();
        fragments.forEach(wanted::putAll);
        List<String> out = new ArrayList<>();
        wanted.forEach((opt, want) -> {
            String got = finalConfig.getOrDefault(opt, NOT_SET);
            if (!got.equals(want)) {
                out.add(opt + "=" + want + " (got: " + (got.equals(NOT_SET) ? "not set" : got) + ")");
            }
        });
        return out;
    }
}
