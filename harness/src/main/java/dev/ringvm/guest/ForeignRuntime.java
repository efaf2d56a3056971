package dev.ringvm.guest;

import dev.ringvm.config.Arch;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.CacheLock;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.host.Sha256;
import dev.ringvm.kernel.DebArchive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;

/**
 * A java.base runtime for a guest of another architecture (arm64 on an x86-64 host), with the libraries it needs.
 * Debian ships no jmods for arm64, so the java.base module is rebuilt from the packaged JRE and linked by the host's
 * JDK tools, which run here and never run a binary of the guest's architecture:
 * <ol>
 * <li>{@code jimage extract} of java.base from the JRE's {@code lib/modules}, without the {@code SystemModules$*}
 * classes (jlink generates them again);</li>
 * <li>{@code jmod create --target-platform linux-aarch64} with the java.base native libraries, {@code bin/java} and
 * the configuration that Debian keeps under {@code /etc/java-25-openjdk};</li>
 * <li>the host's {@code jlink} with {@link #DEFAULT_JLINK_OPTIONS}: {@code --strip-java-debug-attributes} rather than
 * {@code --strip-debug} (which runs objcopy, and the host's cannot read aarch64 ELF), {@code generate-jli-classes}
 * off (the extracted classes already hold its output), no CDS archive (generating one runs the target's java);</li>
 * <li>the {@code DT_NEEDED} closure of {@code bin/java} and every {@code .so} ({@link ElfFile}, {@link LibraryClosure})
 * taken from the library packages into {@code sysroot/lib/<triplet>/}, with the program interpreter
 * ({@code /lib/ld-linux-aarch64.so.1}) linked to the loader there.</li>
 * </ol>
 * Cached under {@code <cacheRoot>/jre/<key>} by the packages' sha256s, the host JDK and the options.
 */
final class ForeignRuntime {
    static final int FORMAT = 1;
    /** Lists the guest paths of {@code sysroot}; written last, so its presence marks a complete entry. */
    static final String GUEST_LIBS = "guest-libs.txt";
    public static final List<String> DEFAULT_JLINK_OPTIONS = List.of(
            "--add-modules", "java.base", "--strip-java-debug-attributes", "--no-header-files", "--no-man-pages",
            "--disable-plugin", "generate-jli-classes");
    /** What the JDK's own java.base jmod holds under lib/ on Linux, as packaged in the JRE. */
    static final List<String> JAVA_BASE_LIBS = List.of(
            "libjava.so", "libjimage.so", "libjli.so", "libnet.so", "libnio.so", "libzip.so", "libverify.so",
            "libsyslookup.so", "libjsig.so", "server/libjvm.so", "server/libjsig.so", "tzdb.dat", "classlist", "jexec",
            "jspawnhelper");
    static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    private static final Set<java.nio.file.attribute.PosixFilePermission> EXECUTABLE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");

    private ForeignRuntime() {}

    static String key(Path javaHome, GuestPackages packages, Arch arch, List<String> jlinkOptions) throws IOException {
        Path release = javaHome.resolve("release");
        Sha256.Fields f = Sha256.fields()
                .field("format", Integer.toString(FORMAT))
                .field("arch", arch.id())
                .field("release", Files.isRegularFile(release) ? Files.readAllBytes(release) : new byte[0])
                .field("javaHome", javaHome.toAbsolutePath().normalize().toString())
                .field("jlink", String.join("\u0000", jlinkOptions))
                .field("jre", GuestPackages.sha256(packages.jre()));
        for (Path lib : packages.libraries()) {
            f.field("lib", GuestPackages.sha256(lib));
        }
        return f.hex();
    }

    static JlinkedRuntime.Runtime ensure(Path cacheRoot, Path javaHome, GuestPackages packages, Arch arch,
            List<String> jlinkOptions, Consumer<String> events) throws IOException {
        String key = key(javaHome, packages, arch, jlinkOptions);
        Path parent = cacheRoot.resolve("jre");
        Path dir = parent.resolve(key);
        return CacheLock.with(parent.resolve(key + ".lock"), () -> {
            if (!Files.isRegularFile(dir.resolve(GUEST_LIBS))) {
                long t0 = System.nanoTime();
                AtomicFiles.writeDirectory(dir, d -> Files.isRegularFile(d.resolve(GUEST_LIBS)),
                        tmp -> build(tmp, javaHome, packages, arch, jlinkOptions, events));
                events.accept(arch.id() + " java.base runtime linked in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + dir);
            } else {
                events.accept(arch.id() + " java.base runtime cached: " + dir);
            }
            return new JlinkedRuntime.Runtime(dir.resolve("runtime"), List.of(), dir.resolve("sysroot"), key);
        });
    }

    private static void build(Path tmp, Path javaHome, GuestPackages packages, Arch arch, List<String> jlinkOptions,
            Consumer<String> events) throws IOException {
        Path work = tmp.resolve("work");
        Path deb = work.resolve("jre-deb");
        DebArchive.extract(packages.jre(), n -> strip(n).startsWith("usr/lib/jvm/") || strip(n).startsWith("etc/java-"), deb);
        Path jvm = jvmDirectory(deb, packages.jre());
        Path etc = etcDirectory(deb, arch, packages.jre());
        Path bin = javaHome.resolve("bin");

        Path ex = work.resolve("classes");
        tool(List.of(bin.resolve("jimage").toString(), "extract", "--dir", ex.toString(), "--include",
                "regex:/java.base/.*", jvm.resolve("lib/modules").toString()), "jimage extract", events);
        Path moduleDir = ex.resolve("java.base/jdk/internal/module");
        try (Stream<Path> s = Files.list(moduleDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("SystemModules$")).toList()) {
                Files.delete(p);
            }
        }
        Path libs = work.resolve("libs");
        for (String name : JAVA_BASE_LIBS) {
            copy(jvm.resolve("lib").resolve(name), libs.resolve(name), packages.jre());
        }
        // lib/jvm.cfg is a link to /etc in the package
        copy(etc.resolve("jvm-" + arch.debian() + ".cfg"), libs.resolve("jvm.cfg"), packages.jre());
        Path cmds = work.resolve("cmds");
        copy(jvm.resolve("bin/java"), cmds.resolve("java"), packages.jre());
        // DebArchive writes files without their mode; jlink keeps what the jmod has
        for (Path x : List.of(cmds.resolve("java"), libs.resolve("jexec"), libs.resolve("jspawnhelper"))) {
            Files.setPosixFilePermissions(x, EXECUTABLE);
        }
        Path conf = work.resolve("conf");
        copy(etc.resolve("net.properties"), conf.resolve("net.properties"), packages.jre());
        PathUtils.copyDirectory(etc.resolve("security"), conf.resolve("security"));
        Path jmod = work.resolve("jmods/java.base.jmod");
        Files.createDirectories(jmod.getParent());
        tool(List.of(bin.resolve("jmod").toString(), "create", "--class-path", ex.resolve("java.base").toString(),
                "--libs", libs.toString(), "--cmds", cmds.toString(), "--config", conf.toString(),
                "--target-platform", targetPlatform(arch), "--module-version", javaVersion(jvm.resolve("release")),
                jmod.toString()), "jmod create", events);
        Path runtime = tmp.resolve("runtime");
        List<String> jlink = new ArrayList<>(List.of(bin.resolve("jlink").toString(), "--module-path",
                jmod.getParent().toString()));
        jlink.addAll(jlinkOptions);
        jlink.addAll(List.of("--output", runtime.toString()));
        tool(jlink, "jlink", events);

        Path pool = work.resolve("lib-debs");
        for (Path lib : packages.libraries()) {
            DebArchive.extract(lib, n -> true, pool);
        }
        List<String> guest = sysroot(runtime, libraryPool(pool, arch), arch, tmp.resolve("sysroot"));
        PathUtils.deleteDirectory(work);
        Files.write(tmp.resolve(GUEST_LIBS), guest, StandardCharsets.UTF_8);
    }

    /**
     * Copies the libraries {@code runtime}'s ELF files need from {@code pool} into {@code sysroot/lib/<triplet>/} and
     * links the program interpreter of bin/java to the loader there. Returns the guest paths written.
     */
    static List<String> sysroot(Path runtime, Map<String, Path> pool, Arch arch, Path sysroot) throws IOException {
        List<Path> elves = JlinkedRuntime.elfFiles(runtime);
        Set<String> provided;
        try (Stream<Path> s = Files.walk(runtime)) {
            provided = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        int machine = machine(arch);
        for (Path e : elves) {
            ElfFile f = ElfFile.read(e);
            if (f.machine() != machine) {
                throw new IOException(e + ": ELF machine " + f.machine() + ", expected " + machine + " (" + arch.id() + ")");
            }
        }
        Map<String, Path> libs = new java.util.LinkedHashMap<>(
                LibraryClosure.resolve(elves, pool, provided, p -> ElfFile.read(p).needed()));
        String dir = "lib/" + triplet(arch);
        Optional<String> interp = ElfFile.read(runtime.resolve("bin/java")).interpreter();
        if (interp.isPresent()) {
            String loader = Path.of(interp.get()).getFileName().toString();
            Path l = pool.get(loader);
            if (l == null) throw new IOException("the program interpreter " + interp.get() + " is in none of the guest's packages");
            libs.putIfAbsent(loader, l);
        }
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, Path> e : libs.entrySet()) {
            Path target = sysroot.resolve(dir).resolve(e.getKey());
            if (ElfFile.read(e.getValue()).machine() != machine) {
                throw new IOException(e.getValue() + ": not a " + arch.id() + " library");
            }
            Files.createDirectories(target.getParent());
            Files.copy(e.getValue().toRealPath(), target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, EXECUTABLE); // as the host's libraries are in an x86-64 image
            written.add("/" + dir + "/" + e.getKey());
        }
        if (interp.isPresent() && !written.contains(interp.get())) {
            Path link = sysroot.resolve(interp.get().substring(1));
            Path loader = sysroot.resolve(dir).resolve(Path.of(interp.get()).getFileName().toString());
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(loader));
            written.add(interp.get());
        }
        return written;
    }

    /**
     * The library files of the extracted packages by file name: regular files and links in the multiarch
     * directories ({@code lib/aarch64-linux-gnu}, {@code usr/lib/aarch64-linux-gnu}).
     */
    static Map<String, Path> libraryPool(Path extracted, Arch arch) throws IOException {
        Map<String, Path> pool = new HashMap<>();
        try (Stream<Path> s = Files.walk(extracted)) {
            for (Path p : s.filter(p -> p.getParent() != null
                    && p.getParent().getFileName().toString().equals(triplet(arch))).sorted().toList()) {
                if (Files.isRegularFile(p)) pool.putIfAbsent(p.getFileName().toString(), p);
            }
        }
        return pool;
    }

    static String triplet(Arch arch) {
        return arch.machine() + "-linux-gnu";
    }

    /** jmod's and jlink's platform name: {@code linux-aarch64}, {@code linux-amd64} (as {@code os.arch} says). */
    static String targetPlatform(Arch arch) {
        return switch (arch) {
            case X86_64 -> "linux-amd64";
            case ARM64 -> "linux-aarch64";
        };
    }

    static int machine(Arch arch) {
        return switch (arch) {
            case X86_64 -> ElfFile.EM_X86_64;
            case ARM64 -> ElfFile.EM_AARCH64;
        };
    }

    /** The JRE's directory: the one {@code usr/lib/jvm/<name>/release} names. */
    private static Path jvmDirectory(Path extracted, Path deb) throws IOException {
        Path jvms = extracted.resolve("usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> s = Files.list(jvms)) {
                // java-25-openjdk-arm64; not java-1.25.0-openjdk-arm64, a link to it
                Optional<Path> d = s.filter(p -> !Files.isSymbolicLink(p) && Files.isRegularFile(p.resolve("release"))
                        && Files.isRegularFile(p.resolve("lib/modules"))).sorted().findFirst();
                if (d.isPresent()) return d.get();
            }
        }
        throw new IOException(deb + ": no usr/lib/jvm/*/lib/modules (not a Debian JRE package)");
    }

    /**
     * Where the package keeps the runtime's configuration: the {@code etc/java-*} directory holding
     * {@code jvm-<arch>.cfg} (the runtime's lib/jvm.cfg and conf/ files are absolute links into it).
     */
    private static Path etcDirectory(Path extracted, Arch arch, Path deb) throws IOException {
        Path etc = extracted.resolve("etc");
        if (Files.isDirectory(etc)) {
            try (Stream<Path> s = Files.list(etc)) {
                Optional<Path> d = s.filter(p -> Files.isRegularFile(p.resolve("jvm-" + arch.debian() + ".cfg")))
                        .sorted().findFirst();
                if (d.isPresent()) return d.get();
            }
        }
        throw new IOException(deb + ": no etc/java-*/jvm-" + arch.debian() + ".cfg (not a Debian JRE package for " + arch.id() + ")");
    }

    /** JAVA_VERSION of a release file ({@code 25.0.5.0.3}): the rebuilt module's version. */
    static String javaVersion(Path release) throws IOException {
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            if (line.startsWith("JAVA_VERSION=")) return line.substring("JAVA_VERSION=".length()).replace("\"", "");
        }
        throw new IOException(release + ": no JAVA_VERSION");
    }

    private static void copy(Path from, Path to, Path deb) throws IOException {
        if (!Files.isRegularFile(from)) throw new IOException(deb + ": no " + from.getFileName() + " (" + from + ")");
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static void tool(List<String> argv, String what, Consumer<String> events) throws IOException {
        events.accept(what + ": " + String.join(" ", argv));
        ProcessRunner.Result r = ProcessRunner.run(argv, TOOL_TIMEOUT);
        if (r.exitCode() != 0) {
            throw new IOException(what + " failed (exit " + r.exitCode() + "): " + JlinkedRuntime.tail(r.output()));
        }
    }

    private static String strip(String entry) {
        return entry.startsWith("./") ? entry.substring(2) : entry;
    }
}
