package dev.ringvm.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a kernel image comes from; one record per `source:` kind in kernels.yaml. Written to run.json as an object
 * whose {@code kind} names the record, so a run directory read back knows its kernels' sources as types.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = KernelSource.PathSource.class, name = "path"),
        @JsonSubTypes.Type(value = KernelSource.AptSource.class, name = "apt"),
        @JsonSubTypes.Type(value = KernelSource.DebSource.class, name = "deb"),
        @JsonSubTypes.Type(value = KernelSource.RpmSource.class, name = "rpm"),
        @JsonSubTypes.Type(value = KernelSource.MainlineSource.class, name = "mainline"),
        @JsonSubTypes.Type(value = KernelSource.HostSource.class, name = "host"),
        @JsonSubTypes.Type(value = KernelSource.BuildSource.class, name = "build")})
public sealed interface KernelSource {

    /** A short human description, for example {@code apt linux-image-*-cloud-amd64 @ trixie}. */
    String describe();

    /** {@code { path: FILE }}: any bzImage/vmlinuz on disk (relative paths resolve against kernels.yaml). */
    record PathSource(Path path) implements KernelSource {
        public String describe() { return "path " + path; }
    }

    /**
     * {@code { apt: PACKAGE-OR-GLOB, suite: SUITE, archive: URL, keyring: FILE, components: [main] }}: a Debian or
     * Ubuntu kernel package; the newest match wins. Without {@code archive} it comes from the host's own archive for
     * that distribution (its apt sources: mirror and Signed-By).
     *
     * @param pkg        package name or shell glob
     * @param suite      suite (codename or pocket: bookworm, trixie-backports, noble, noble-updates)
     * @param archive    the archive's URL (the {@code URIs:} of a sources entry), or null for the host's
     * @param keyring    the keyring that signs {@code archive} (absolute), or null for the host's or the distribution's
     * @param components the archive components to read, or null for {@code [main]}
     */
    record AptSource(String pkg, String suite, @JsonInclude(JsonInclude.Include.NON_NULL) String archive,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Path keyring,
                     @JsonInclude(JsonInclude.Include.NON_NULL) List<String> components) implements KernelSource {
        /** The components read when kernels.yaml names none. */
        public static final List<String> DEFAULT_COMPONENTS = List.of("main");

        public AptSource {
            components = components == null || components.equals(DEFAULT_COMPONENTS) ? null : List.copyOf(components);
        }

        /** From the host's archive, component main. */
        public AptSource(String pkg, String suite) {
            this(pkg, suite, null, null, null);
        }

        /** The components to read: kernels.yaml's, else {@link #DEFAULT_COMPONENTS}. */
        public List<String> componentList() {
            return components == null ? DEFAULT_COMPONENTS : components;
        }

        /** {@code apt PKG @ SUITE}, plus {@code from ARCHIVE} and {@code [COMPONENTS]} when they are not the defaults. */
        public String describe() {
            return "apt " + pkg + " @ " + suite + (archive == null ? "" : " from " + archive)
                    + (components == null ? "" : " [" + String.join(",", components) + "]");
        }
    }

    /**
     * {@code { deb: FILE-OR-URL, sha256: HEX }}: a kernel .deb from a file (relative to kernels.yaml) or an
     * http(s) URL; without sha256 the first download is pinned in kernels.lock.
     *
     * @param location an absolute file path or an http(s) URL
     * @param sha256   expected lower-case hex sha256 of the .deb, or null
     */
    record DebSource(String location, String sha256) implements KernelSource {
        public String describe() { return "deb " + location; }
    }

    /**
     * {@code { rpm: FILE-OR-URL, sha256: HEX }}: a kernel RPM (Fedora's or RHEL's kernel-core, openSUSE's
     * kernel-default) from a file (relative to kernels.yaml) or an http(s) URL; without sha256 the first download is
     * pinned in kernels.lock.
     *
     * @param location an absolute file path or an http(s) URL
     * @param sha256   expected lower-case hex sha256 of the .rpm, or null
     */
    record RpmSource(String location, String sha256) implements KernelSource {
        public String describe() { return "rpm " + location; }
    }

    /** {@code { mainline: vX.Y[.Z] }}: a prebuilt upstream kernel from Ubuntu's mainline build archive. */
    record MainlineSource(String version) implements KernelSource {
        public String describe() { return "mainline " + version; }
    }

    /** {@code { host: true }}: the probe runs directly on the running kernel, no VM. */
    record HostSource() implements KernelSource {
        public String describe() { return "host"; }
    }

    /**
     * {@code { build: { tree: DIR | debian-source: linux-source-X.Y, config: BASE, fragments: [...], patches: [...] } }}.
     *
     * @param tree         a local kernel source tree (absolute), or null
     * @param debianSource a Debian source package name such as {@code linux-source-6.12}, or null (exactly one of
     *                     tree and debianSource is set)
     * @param suite        the Debian suite to fetch {@code debianSource} from (default trixie), null with a tree
     * @param config       {@code tinyconfig}, {@code defaultconfig}/{@code defconfig}, or an absolute config file path
     * @param fragments    config fragments (absolute paths, usually under vm-images/), applied in order
     * @param patches      patches (absolute paths, usually under vm-images/patches/), applied in order with -p1
     */
    record BuildSource(Path tree, String debianSource, String suite, String config, List<Path> fragments,
                       List<Path> patches) implements KernelSource {
        public BuildSource {
            fragments = List.copyOf(fragments);
            patches = List.copyOf(patches);
        }

        public String describe() {
            return "build " + (tree != null ? tree.toString() : debianSource) + " " + config
                    + (patches.isEmpty() ? "" : " + " + patches.stream().map(p -> p.getFileName().toString()).toList());
        }
    }

    /**
     * The source a {@link #describe()} text names, for run directories written before run.json recorded sources as
     * objects. A build's description keeps only patch names, so its patches come back as bare file names.
     */
    static KernelSource fromDescription(String text) {
        String t = text == null ? "" : text.strip();
        Matcher apt = Pattern.compile("apt (\\S+) @ (\\S+)(?: from (\\S+))?(?: \\[(\\S+)])?").matcher(t);
        if (apt.matches()) {
            return new AptSource(apt.group(1), apt.group(2), apt.group(3), null,
                    apt.group(4) == null ? null : List.of(apt.group(4).split(",")));
        }
        if (t.equals("host")) return new HostSource();
        if (t.startsWith("deb ")) return new DebSource(t.substring(4), null);
        if (t.startsWith("rpm ")) return new RpmSource(t.substring(4), null);
        if (t.startsWith("mainline ")) return new MainlineSource(t.substring(9));
        Matcher build = Pattern.compile("build (\\S+) (\\S+)(?: \\+ \\[(.*)])?").matcher(t);
        if (build.matches()) {
            boolean tree = build.group(1).startsWith("/");
            List<Path> patches = build.group(3) == null ? List.of()
                    : Pattern.compile(", ").splitAsStream(build.group(3)).map(Path::of).toList();
            return new BuildSource(tree ? Path.of(build.group(1)) : null, tree ? null : build.group(1), null,
                    build.group(2), List.of(), patches);
        }
        return new PathSource(Path.of(t.startsWith("path ") ? t.substring(5) : t));
    }
}
