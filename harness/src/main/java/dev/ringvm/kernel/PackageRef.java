package dev.ringvm.kernel;

import java.util.List;

/**
 * One version of one binary package in a suite.
 *
 * @param name    package name
 * @param version Debian version
 * @param depends names from its Depends field (alternatives flattened, version constraints dropped)
 */
public record PackageRef(String name, String version, List<String> depends) {
    public PackageRef {
        depends = List.copyOf(depends);
    }

    /** {@code name=version}, the form apt-get download takes. */
    public String pinned() { return name + "=" + version; }
}
