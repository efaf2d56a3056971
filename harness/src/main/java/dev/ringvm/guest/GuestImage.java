package dev.ringvm.guest;

import dev.ringvm.config.Arch;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.CacheLock;
import dev.ringvm.host.Sha256;
import dev.ringvm.kernel.DebArchive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The guest initramfs: busybox, a jlinked java.base runtime with its host libraries, the probe jar and
 * /init, as a newc cpio. Cached under {@code <cacheRoot>/guest/<hash>/} where the hash covers every input,
 * so it is rebuilt exactly when an input changes.
 *
 * <p>An image for the host's architecture uses the host's busybox, the running JDK's jlink and the host's libraries,
 * and carries an AOT cache trained on the host. An image for another architecture ({@link Builder#arch}, arm64 on an
 * x86-64 host) is made of Debian packages of that architecture ({@link GuestPackages}: busybox-static, the
 * openjdk-25-jre-headless runtime relinked to java.base by {@link ForeignRuntime}, libc6, libgcc-s1, libstdc++6,
 * zlib1g) and has neither an AOT cache nor a CDS archive: both are written by running the guest's JVM, which this host
 * cannot do ({@code java.args} says {@code -Xshare:off}). Measured under TCG on a loaded 2-core host (trixie's 6.12 arm64
 * cloud kernel, 7 boots): JVM start to the probe's header 26-44 s. A cache for arm64 would need a
 * training run on arm64: one boot of this image in an arm64 VM running the probe's grid with
 * {@code -XX:AOTCacheOutput=} on a writable file system (tmpfs), the cache copied out over a second virtio console,
 * and a second image holding it, with the same jar (size and time) and {@link #GUEST_JVM_OPTIONS}.
 *
 * @param path the initramfs file
 * @param hash the content hash naming its cache directory
 * @param cached true when an existing image was reused
 * @param buildTime wall time of {@link Builder#build()} (lookup only when cached)
 */
public record GuestImage(Path path, String hash, boolean cached, Duration buildTime) {
    /** Bumped whenever the image layout changes, so old cache entries are not reused. */
    public static final int FORMAT_VERSION = 3;
    /**
     * jlink options: java.base only, no debug symbols, headers or man pages, plus a CDS archive (a jlinked
     * image has none otherwise, so -Xshare:auto found nothing). Measured under TCG (6.1 cloud kernel,
     * stand-in probe, n=3..5): boot to poweroff 4.9 s without, 4.2 s with the archive, for +13 MiB
     * (classes.jsa; the no-compressed-oops archive is left out of the image, see {@link #SKIPPED}).
     */
    public static final List<String> DEFAULT_JLINK_OPTIONS = List.of(
            "--add-modules", "java.base", "--strip-debug", "--no-header-files", "--no-man-pages",
            "--generate-cds-archive");
    /**
     * Runtime files not copied into the image: the CDS archive for -XX:-UseCompressedOops is only mapped
     * with heaps over 32 GiB, never in a guest with -Xmx96m (saves ~13 MiB).
     */
    static final java.util.Set<String> SKIPPED = java.util.Set.of("lib/server/classes_nocoops.jsa");
    public static final Path DEFAULT_BUSYBOX = Path.of("/bin/busybox");
    /**
     * Uncompressed: measured under TCG with the 6.1 cloud kernel, the JRE image reaches /init at 2.1-2.3 s
     * uncompressed (61 MiB), 2.5-2.8 s with zstd (20 MiB), 2.9-3.0 s with gzip (21 MiB); xz (14 MiB) is
     * slower still and takes ~45 s to build. Build cost is ~0.3 s for NONE vs 1.2 s zstd, 2.8 s gzip.
     */
    public static final Compression DEFAULT_COMPRESSION = Compression.NONE;
    public static final String PROBE_PATH = "probe/ring-init-probe.jar";
    /** The guest JVM's options, one per line, read by /init as {@code java @/probe/java.args}. */
    public static final String JAVA_ARGS_PATH = "probe/java.args";
    /**
     * Guest JVM options, shared by /init (through {@link #JAVA_ARGS_PATH}) and the AOT training run, which
     * must agree for the JVM to accept the cache. Measured under TCG (6.12, whole grid, n=3, see
     * docs/PERFORMANCE.md): C1 only is 12.8 s per VM where -Xint takes 24.2 s and C2 24.5 s; SerialGC, a small
     * heap and no perf data keep start-up and exit short.
     *
     * <p>No machine code in the AOT cache (AOTAdapterCaching/AOTStubCaching off): code generated on the host for
     * the host's CPU died with SIGILL in an AdapterBlob when the guest CPU lacked its features (measured with
     * {@code -cpu qemu64} and {@code -cpu Nehalem}; a host with AVX-512 trains, TCG's {@code -cpu max} has none).
     * Without it the same boots pass on max, qemu64 and Nehalem, and max is no slower (n=2 each).
     */
    public static final List<String> GUEST_JVM_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx96m", "-XX:-UsePerfData",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching", "-XX:-AOTStubCaching");
    /** The runtime's default CDS archive: not needed (and not mapped) when the image has an AOT cache. */
    static final String DEFAULT_CDS = "lib/server/classes.jsa";

    /** java.args' first line for an image of another architecture: no class data sharing archive to map. */
    static final String NO_CDS = "-Xshare:off";

    public static Builder builder(Path cacheRoot, Path probeJar) {
        return new Builder(cacheRoot, probeJar);
    }

    /**
     * Inputs of an image; defaults: the host's architecture, the running JDK, /bin/busybox, the embedded init script,
     * no compression. For another architecture: packages of Debian {@link GuestPackages#DEFAULT_SUITE}.
     */
    public static final class Builder {
        private final Path cacheRoot;
        private final Path probeJar;
        private Arch arch = Arch.host().orElse(Arch.DEFAULT);
        private Path busybox;
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private byte[] init = InitScript.bytes();
        private List<String> jlinkOptions;
        private Compression compression = DEFAULT_COMPRESSION;
        private boolean aotCache = true;
        private String suite = GuestPackages.DEFAULT_SUITE;
        private GuestPackages packages;
        private Consumer<String> events = e -> {};

        private Builder(Path cacheRoot, Path probeJar) {
            this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot");
            this.probeJar = Objects.requireNonNull(probeJar, "probeJar");
        }

        /** The guest's architecture (default: the host's); another than the host's builds from Debian packages. */
        public Builder arch(Arch v) { arch = Objects.requireNonNull(v); return this; }
        /** The busybox binary (default: /bin/busybox, or for another architecture the busybox-static package's). */
        public Builder busybox(Path v) { busybox = Objects.requireNonNull(v); return this; }
        public Builder javaHome(Path v) { javaHome = Objects.requireNonNull(v); return this; }
        public Builder initScript(byte[] v) { init = v.clone(); return this; }
        public Builder jlinkOptions(List<String> v) { jlinkOptions = List.copyOf(v); return this; }
        public Builder compression(Compression v) { compression = Objects.requireNonNull(v); return this; }
        /**
         * Train and embed a JDK 25 AOT cache for the probe (default true); false: the runtime's CDS archive only. An
         * image of another architecture has neither, whatever this says (training runs the guest's JVM).
         */
        public Builder aotCache(boolean v) { aotCache = v; return this; }
        /** The Debian suite the packages of another architecture come from (default trixie). */
        public Builder suite(String v) { suite = Objects.requireNonNull(v); return this; }
        /** The .debs of an image of another architecture, instead of fetching them through apt (tests, offline). */
        public Builder packages(GuestPackages v) { packages = Objects.requireNonNull(v); return this; }
        /** Progress messages (jlink started, cache hit, image written); the builder never prints. */
        public Builder events(Consumer<String> v) { events = Objects.requireNonNull(v); return this; }

        /** True when the image is for the host's architecture (host busybox, jlink and libraries, AOT cache). */
        boolean nativeArch() {
            return arch.isHost(System.getProperty("os.arch", ""));
        }

        private List<String> jlinkOptions() {
            if (jlinkOptions != null) return jlinkOptions;
            return nativeArch() ? DEFAULT_JLINK_OPTIONS : ForeignRuntime.DEFAULT_JLINK_OPTIONS;
        }

        private Path busybox() {
            return busybox != null ? busybox : DEFAULT_BUSYBOX;
        }

        /** The packages of an image of another architecture: given, or fetched once per builder. */
        private GuestPackages packages() throws IOException {
            if (packages == null) packages = GuestPackages.fetch(cacheRoot, suite, arch, events);
            return packages;
        }

        /**
         * The cache key: every input's bytes or identity, plus the format version. For the host's architecture the
         * fields are those of every earlier image of this format (the same key as before arm64 images existed); for
         * another one they add the architecture and the packages' sha256s (which may fetch the packages).
         */
        public String hash() throws IOException {
            if (nativeArch()) {
                return Sha256.fields()
                        .field("format", Integer.toString(FORMAT_VERSION))
                        .field("init", init)
                        .file("probe", probeJar)
                        .file("busybox", busybox())
                        .field("jre", JlinkedRuntime.key(javaHome, jlinkOptions()))
                        .field("compression", compression.name())
                        .field("jvm", String.join("\u0000", GUEST_JVM_OPTIONS))
                        .field("aot", Boolean.toString(aotCache))
                        .hex();
            }
            GuestPackages p = packages();
            Sha256.Fields f = Sha256.fields()
                    .field("format", Integer.toString(FORMAT_VERSION))
                    .field("arch", arch.id())
                    .field("init", init)
                    .file("probe", probeJar);
            if (busybox != null) {
                f.file("busybox", busybox);
            } else {
                f.field("busybox-deb", GuestPackages.sha256(p.busybox()));
            }
            return f.field("jre", ForeignRuntime.key(javaHome, p, arch, jlinkOptions()))
                    .field("compression", compression.name())
                    .field("jvm", String.join("\u0000", GUEST_JVM_OPTIONS))
                    .field("java.args", NO_CDS)
                    .hex();
        }

        public GuestImage build() throws IOException {
            long t0 = System.nanoTime();
            requireFile(probeJar, "probe jar");
            boolean nativeArch = nativeArch();
            if (nativeArch || busybox != null) requireFile(busybox(), "busybox");
            String hash = hash();
            Path parent = cacheRoot.resolve("guest");
            Path dir = parent.resolve(hash);
            Path image = dir.resolve(compression.fileName());
            Path sum = sidecar(image);
            boolean cached = CacheLock.with(parent.resolve(hash + ".lock"), () -> {
                if (Files.isRegularFile(image)) {
                    java.util.Optional<String> damage = damage(image);
                    if (damage.isEmpty()) {
                        events.accept("guest image cached: " + image);
                        return true;
                    }
                    // a truncated or altered image would fail every boot ("probe exited rc=127"): rebuild it
                    events.accept("guest image " + image + " is damaged (" + damage.get() + "); building it again");
                    Files.deleteIfExists(sum);
                    Files.deleteIfExists(image);
                }
                JlinkedRuntime.Runtime jre = nativeArch
                        ? JlinkedRuntime.ensure(cacheRoot, javaHome, jlinkOptions(), events)
                        : ForeignRuntime.ensure(cacheRoot, javaHome, packages(), arch, jlinkOptions(), events);
                // a leftover without the image is incomplete: we hold the lock, so it is replaced
                AtomicFiles.writeDirectory(dir, d -> Files.isRegularFile(d.resolve(compression.fileName()))
                        && Files.isRegularFile(sidecar(d.resolve(compression.fileName()))), tmp -> {
                    Path file = tmp.resolve(compression.fileName());
                    java.util.Optional<Path> aot = aotCache && nativeArch
                            ? AotTraining.train(jre.root(), probeJar, GUEST_JVM_OPTIONS, tmp.resolve("aot-training"), events)
                            : java.util.Optional.empty();
                    Path bb = busybox != null || nativeArch ? busybox()
                            : packagedBusybox(packages().busybox(), arch, tmp.resolve("busybox"));
                    try (OutputStream os = compression.wrap(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                            CpioWriter cpio = new CpioWriter(os)) {
                        writeGuest(cpio, init, bb, jre, probeJar, aot.orElse(null), nativeArch ? null : NO_CDS);
                    }
                    if (Files.exists(tmp.resolve("busybox"))) {
                        org.apache.commons.io.file.PathUtils.deleteDirectory(tmp.resolve("busybox"));
                    }
                    if (Files.exists(tmp.resolve("aot-training"))) {
                        org.apache.commons.io.file.PathUtils.deleteDirectory(tmp.resolve("aot-training"));
                    }
                    record(file);
                });
                events.accept("guest image built: " + image + " (" + Files.size(image) + " bytes)");
                return false;
            });
            return new GuestImage(image, hash, cached, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /** {@code <image>.sha256}: the image's sha256, written with it, checked whenever it is reused. */
    static Path sidecar(Path image) {
        return image.resolveSibling(image.getFileName() + ".sha256");
    }

    /**
     * Why a cached image cannot be reused, or empty when it is intact. The sidecar holds the image's sha256, size and
     * modification time: when size and time still match, the image is the one written (hashing 72 MiB takes 0.6-1 s,
     * more than the rest of a warm run's preparation); when either differs (truncated, rewritten, touched) the
     * whole image is hashed, and only a sha256 that still matches keeps it. No sidecar (an image of an older
     * ringvm, or a directory that lost it) is damage too.
     */
    static java.util.Optional<String> damage(Path image) throws IOException {
        Path sum = sidecar(image);
        if (!Files.isRegularFile(sum)) return java.util.Optional.of("no recorded sha256");
        String[] f = Files.readString(sum).strip().split("\\s+");
        String recorded = f[0];
        long size = Files.size(image);
        long mtime = Files.getLastModifiedTime(image).toMillis();
        if (f.length == 3 && f[1].equals(Long.toString(size)) && f[2].equals(Long.toString(mtime))) {
            return java.util.Optional.empty();
        }
        String actual = Sha256.hex(image);
        if (!recorded.equals(actual)) {
            return java.util.Optional.of("sha256 " + actual.substring(0, 12) + ", recorded "
                    + recorded.substring(0, Math.min(12, recorded.length())) + "; " + size + " bytes");
        }
        record(image); // the same bytes with a new time: remember it, so the next reuse is a stat again
        return java.util.Optional.empty();
    }

    /** Writes the sidecar of a complete image: sha256, size, modification time. */
    static void record(Path image) throws IOException {
        AtomicFiles.write(sidecar(image), Sha256.hex(image) + " " + Files.size(image) + " "
                + Files.getLastModifiedTime(image).toMillis() + "\n");
    }

    /** The base every ringvm initramfs has: console node, mount points, /init, busybox. */
    static void writeBase(CpioWriter cpio, byte[] init, Path busybox) throws IOException {
        for (String d : List.of("dev", "proc", "sys", "tmp", "bin", "sbin", "usr/bin", "usr/sbin", "root")) {
            cpio.dir(d, 0755);
        }
        // the kernel opens /dev/console for init's stdio before init can mount devtmpfs
        cpio.charDevice("dev/console", 0600, 5, 1);
        cpio.file("init", 0755, init);
        cpio.file("bin/busybox", 0755, busybox);
        cpio.symlink("bin/sh", "busybox");
    }

    /** {@link #writeGuest(CpioWriter, byte[], Path, JlinkedRuntime.Runtime, Path, Path, String)} for the host's architecture. */
    static void writeGuest(CpioWriter cpio, byte[] init, Path busybox, JlinkedRuntime.Runtime jre, Path probeJar,
            Path aotCache) throws IOException {
        writeGuest(cpio, init, busybox, jre, probeJar, aotCache, null);
    }

    /**
     * @param aotCache the trained AOT cache, or null: then the runtime's CDS archive serves the guest JVM
     * @param sharing  java.args' first line when there is no AOT cache; null: {@code -Xshare:auto}
     */
    static void writeGuest(CpioWriter cpio, byte[] init, Path busybox, JlinkedRuntime.Runtime jre, Path probeJar,
            Path aotCache, String sharing) throws IOException {
        writeBase(cpio, init, busybox);
        writeTree(cpio, jre.root(), "jre",
                rel -> SKIPPED.contains(rel) || (aotCache != null && rel.equals(DEFAULT_CDS)));
        if (jre.sysroot() != null) {
            writeTree(cpio, jre.sysroot(), "", rel -> false);
        }
        for (Path lib : jre.hostLibraries()) {
            // real bytes under the name the loader looks up (symlinks followed); parents become real dirs
            if (!cpio.contains(lib.toString())) {
                cpio.file(lib.toString(), 0755, lib.toRealPath());
            }
        }
        cpio.file(PROBE_PATH, 0644, probeJar);
        if (aotCache != null) {
            cpio.file(AotTraining.GUEST_PATH, 0644, aotCache);
        }
        String first = aotCache != null ? "-XX:AOTCache=/" + AotTraining.GUEST_PATH : sharing != null ? sharing : "-Xshare:auto";
        cpio.file(JAVA_ARGS_PATH, 0644, javaArgs(first).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds the tree under {@code root} (files, directories, symbolic links as they are) under {@code prefix} (its own
     * directory entry too, unless the prefix is the archive's root), but no path relative to {@code root} that
     * {@code skip} names.
     */
    private static void writeTree(CpioWriter cpio, Path root, String prefix,
                                  java.util.function.Predicate<String> skip) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.walk(root)) {
            entries = s.sorted().toList();
        }
        for (Path p : entries) {
            String rel = root.relativize(p).toString();
            if (rel.isEmpty() && prefix.isEmpty() || skip.test(rel)) continue;
            String name = rel.isEmpty() ? prefix : prefix.isEmpty() ? rel : prefix + "/" + rel;
            if (Files.isSymbolicLink(p)) {
                cpio.symlink(name, Files.readSymbolicLink(p).toString());
            } else if (Files.isDirectory(p)) {
                cpio.dir(name, 0755);
            } else {
                cpio.file(name, mode(p), p);
            }
        }
    }

    /** The guest's java.args: the AOT cache (or the CDS archive) plus {@link #GUEST_JVM_OPTIONS}, one per line. */
    static String javaArgs(boolean withAotCache) {
        return javaArgs(withAotCache ? "-XX:AOTCache=/" + AotTraining.GUEST_PATH : "-Xshare:auto");
    }

    /** The guest's java.args: {@code sharing} (how classes are shared, or not) plus {@link #GUEST_JVM_OPTIONS}. */
    static String javaArgs(String sharing) {
        List<String> a = new ArrayList<>();
        a.add(sharing);
        a.addAll(GUEST_JVM_OPTIONS);
        return String.join("\n", a) + "\n";
    }

    /**
     * busybox out of a busybox-static package, into {@code dir}: checked to be a static executable of {@code arch}
     * (the guest has no loader for busybox to use, and a wrong architecture would only show as a kernel panic).
     */
    static Path packagedBusybox(Path deb, Arch arch, Path dir) throws IOException {
        List<Path> files = DebArchive.extract(deb, n -> n.matches("(\\./)?(usr/)?bin/busybox"), dir);
        if (files.size() != 1) throw new IOException(deb + ": no bin/busybox (not a busybox-static package)");
        ElfFile elf = ElfFile.read(files.getFirst());
        if (elf.machine() != ForeignRuntime.machine(arch) || elf.interpreter().isPresent() || !elf.needed().isEmpty()) {
            throw new IOException(deb + ": bin/busybox is not a static " + arch.id() + " executable (ELF machine "
                    + elf.machine() + ", interpreter " + elf.interpreter().orElse("none") + ")");
        }
        return files.getFirst();
    }

    /**
     * A busybox for a guest of {@code arch}: the host's {@link #DEFAULT_BUSYBOX} for the host's architecture, else the
     * one in Debian's busybox-static package of that architecture (from {@link GuestPackages#DEFAULT_SUITE},
     * fetched and cached like the packages of a guest image), extracted into {@code dir}. For busybox-only test boots
     * ({@code ringvm bench}'s floor) of any architecture.
     */
    public static Path busyboxFor(Arch arch, Path cacheRoot, Path dir, Consumer<String> events) throws IOException {
        if (arch.isHost(System.getProperty("os.arch", ""))) return DEFAULT_BUSYBOX;
        GuestPackages p = GuestPackages.fetch(cacheRoot, GuestPackages.DEFAULT_SUITE, arch, events);
        return packagedBusybox(p.busybox(), arch, dir);
    }

    /**
     * Writes a busybox-only initramfs (gzip) with the given /init: for quick test boots (accel detection)
     * where the JRE is not needed.
     */
    public static void writeBusyboxImage(Path busybox, String init, Path out) throws IOException {
        requireFile(busybox, "busybox");
        try (OutputStream os = Compression.GZIP.wrap(new BufferedOutputStream(Files.newOutputStream(out)));
                CpioWriter cpio = new CpioWriter(os)) {
            writeBase(cpio, init.getBytes(StandardCharsets.UTF_8), busybox);
        }
    }

    private static int mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    }

    private static void requireFile(Path p, String what) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IOException(what + " not found: " + p);
        }
    }

}
