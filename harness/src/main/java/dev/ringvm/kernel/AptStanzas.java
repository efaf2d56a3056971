package dev.ringvm.kernel;

import java.util.ArrayList;
import java.util.List;

/** Reads {@code apt-cache show} output: one stanza per package version. Pure; unit-tested. */
final class AptStanzas {
    private AptStanzas() {}

    /** Package, version and the names in Depends and Pre-Depends (alternatives, versions and arch qualifiers dropped). */
    static List<PackageRef> parseShow(String text) {
        List<PackageRef> out = new ArrayList<>();
        for (String stanza : text.split("\\n\\s*\\n")) {
            String name = null;
            String version = null;
            List<String> deps = new ArrayList<>();
            for (String line : stanza.lines().toList()) {
                if (line.startsWith("Package: ")) name = line.substring(9).strip();
                else if (line.startsWith("Version: ")) version = line.substring(9).strip();
                else if (line.startsWith("Depends: ") || line.startsWith("Pre-Depends: ")) {
                    for (String alt : line.substring(line.indexOf(':') + 1).split("[,|]")) {
                        String d = alt.replaceAll("\\(.*?\\)", "").replaceAll("\\[.*?]", "").strip();
                        int colon = d.indexOf(':');
                        if (colon > 0) d = d.substring(0, colon);
                        if (!d.isEmpty()) deps.add(d);
                    }
                }
            }
            if (name != null && version != null) out.add(new PackageRef(name, version, deps));
        }
        return out;
    }
}
