package dev.ringvm.kernel.build;

import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.Sha256;

import org.apache.commons.io.FileUtils;
import dev.ringvm.host.Tools;

import dev.ringvm.host.CacheLock;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.kernel.AptException;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.DebArchive;
import dev.ringvm.kernel.KernelImageBuilder;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.kernel.PackageRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Builds a kernel from a Debian {@code linux-source-X.Y} package (or a copy of a local tree): fetch, unpack,
 * patch, configure (base + fragments, then every fragment option verified), {@code make bzImage} (x86-64) or
 * {@code make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- Image} (arm64, cross-compiled). Each build unpacks the
 * source into a work directory of its own, so x86-64 and arm64 builds of one source never share objects. The result is
 * cached under {@code <cache>/builds/<key>/} ({@code bzImage} or {@code Image}, {@code config}, {@code build.log}) where the key
 * covers every input byte ({@link BuildKey}); a cached build returns at once. One file lock per key, so two
 * runs never build the same kernel at the same time. ccache (when installed) keeps objects under
 * {@code <cache>/ccache}, so two kernels that differ in one patched file share all other objects.
 */
public final class DebianSourceBuilder implements KernelImageBuilder {

    public static final String DEFAULT_SUITE = "trixie";
    static final Duration MAKE_TIMEOUT = Duration.ofMinutes(60);
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final Path cacheRoot;
    private final AptRepo apt;
    private final int jobs;

    public DebianSourceBuilder(Path cacheRoot, AptRepo apt) {
        this(cacheRoot, apt, Runtime.getRuntime().availableProcessors());
    }

    DebianSourceBuilder(Path cacheRoot, AptRepo apt, int jobs) {
        this.cacheRoot = cacheRoot.toAbsolutePath();
        this.apt = apt;
        this.jobs = jobs;
    }

    /** {@code <cache>/builds}. */
    Path buildsDir() {
        return cacheRoot.resolve("builds");
    }

    @Override
    public Path build(String id, KernelSource.BuildSource source, Consumer<String> log)
            throws IOException, KernelUnavailableException {
        return build(id, source, Arch.X86_64, log);
    }

    /**
     * Builds for {@code arch}: x86-64 natively ({@code bzImage}), arm64 cross-compiled with Debian's
     * gcc-aarch64-linux-gnu ({@code Image}); the architecture is part of the key.
     */
    @Override
    public Path build(String id, KernelSource.BuildSource source, Arch arch, Consumer<String> log)
            throws IOException, KernelUnavailableException {
        Consumer<String> say = m -> log.accept("build " + id + ": " + m);
        Source src = resolveSource(id, source);
        String compiler = compilerVersion(id, arch);
        String key = BuildKey.of(src.identity(), source.config(), source.fragments(), source.patches(), compiler, arch);
        Path out = buildsDir().resolve(key);
        Path image = out.resolve(imageName(arch));
        if (Files.isRegularFile(image) && damage(image, arch).isEmpty()) {
            say.accept("cached " + image);
            return image;
        }
        return CacheLock.<Path, KernelUnavailableException>with(buildsDir().resolve(key + ".lock"), () -> {
            if (Files.isRegularFile(image)) {
                java.util.Optional<String> damage = damage(image, arch);
                if (damage.isEmpty()) {
                    say.accept("built meanwhile by another run: " + image);
                    return image;
                }
                say.accept("cached build " + image + " is damaged (" + damage.get() + "); building it again");
                Files.deleteIfExists(image);
                Files.deleteIfExists(sidecar(image));
            }
            return buildLocked(id, source, arch, src, key, out, say);
        });
    }

    /** The cached image's file name: {@code bzImage} on x86-64, {@code Image} on arm64 (kbuild's names). */
    static String imageName(Arch arch) {
        return BuildSteps.target(arch);
    }

    /** {@code bzImage.sha256}: the image's sha256, written when it was built, checked whenever it is reused. */
    static Path sidecar(Path image) {
        return image.resolveSibling(image.getFileName() + ".sha256");
    }

    /**
     * Why a cached build's image cannot be reused: its bytes differ from the sha256 recorded when it was built, or
     * (a build cached before the sha256 was recorded) it is not a whole bzImage; empty when it is intact. An intact
     * older entry gets its sha256 recorded now.
     */
    static java.util.Optional<String> damage(Path image) throws IOException {
        return damage(image, Arch.X86_64);
    }

    /** {@link #damage(Path)} of an image that must be one for {@code arch}. */
    static java.util.Optional<String> damage(Path image, Arch arch) throws IOException {
        Path sum = sidecar(image);
        String actual = Sha256.hex(image);
        if (Files.isRegularFile(sum)) {
            String recorded = Files.readString(sum).strip();
            return recorded.equals(actual) ? java.util.Optional.empty()
                    : java.util.Optional.of("sha256 " + actual + ", recorded " + recorded);
        }
        java.util.Optional<String> problem = dev.ringvm.kernel.KernelImages.problem(image, arch);
        if (problem.isEmpty()) AtomicFiles.write(sum, actual + "\n");
        return problem;
    }

    /**
     * The image of {@code source} when it is in the cache already (nothing is built or fetched: a tree is only
     * inspected with git), so a caller can tell a build from a cache hit before asking for it.
     */
    public java.util.Optional<Path> cached(String id, KernelSource.BuildSource source)
            throws IOException, KernelUnavailableException {
        return cached(id, source, Arch.X86_64);
    }

    /** {@link #cached(String, KernelSource.BuildSource)} of a build for {@code arch}. */
    public java.util.Optional<Path> cached(String id, KernelSource.BuildSource source, Arch arch)
            throws IOException, KernelUnavailableException {
        Source src = resolveSource(id, source);
        String key = BuildKey.of(src.identity(), source.config(), source.fragments(), source.patches(),
                compilerVersion(id, arch), arch);
        Path image = buildsDir().resolve(key).resolve(imageName(arch));
        return Files.isRegularFile(image) ? java.util.Optional.of(image) : java.util.Optional.empty();
    }

    /** What is built: a Debian package (fetched now) or a user's tree (copied). */
    private record Source(String identity, PackageRef ref, String suite, Path tree) {}

    private Source resolveSource(String id, KernelSource.BuildSource s) throws KernelUnavailableException, IOException {
        if ((s.tree() == null) == (s.debianSource() == null)) {
            throw new KernelUnavailableException(id + ": build needs exactly one of tree and debian-source");
        }
        if (s.tree() != null) {
            if (!Files.isRegularFile(s.tree().resolve("Makefile"))) {
                throw new KernelUnavailableException(id + ": " + s.tree() + " is not a kernel source tree (no Makefile)");
            }
            String identity = TreeIdentity.of(s.tree());
            return new Source(TreeIdentity.contentOnly(identity) ? identity
                    : "tree " + s.tree().toAbsolutePath() + " " + identity, null, null, s.tree());
        }
        String suite = s.suite() != null ? s.suite() : DEFAULT_SUITE;
        try {
            PackageRef ref = apt.newest(suite, s.debianSource());
            return new Source("deb " + ref.pinned() + " @ " + suite, ref, suite, null);
        } catch (AptException e) {
            throw new KernelUnavailableException(id + ": " + e.getMessage(), e);
        }
    }

    private static String compilerVersion(String id, Arch arch) throws IOException, KernelUnavailableException {
        String gcc = BuildSteps.compiler(arch);
        if (arch != Arch.X86_64 && !onPath(gcc)) {
            throw new KernelUnavailableException(id + ": no " + gcc + " to cross-build an " + arch.id()
                    + " kernel (apt-get install gcc-aarch64-linux-gnu)");
        }
        ProcessRunner.Result r = ProcessRunner.run(List.of(gcc, "--version"), Duration.ofSeconds(30));
        if (!r.ok()) {
            throw new KernelUnavailableException(id + ": " + gcc + " --version failed (apt-get install gcc make flex bison bc libelf-dev libssl-dev"
                    + (arch == Arch.X86_64 ? "" : " gcc-aarch64-linux-gnu") + "): " + r.tail(2));
        }
        return r.stdout().lines().findFirst().orElse("").strip();
    }

    private Path buildLocked(String id, KernelSource.BuildSource source, Arch arch, Source src, String key, Path out,
                             Consumer<String> say) throws IOException, KernelUnavailableException {
        Files.createDirectories(out);
        Path logFile = out.resolve("build.log");
        Files.deleteIfExists(logFile);
        Path work = buildsDir().resolve("work").resolve(key);
        FileUtils.deleteDirectory(work.toFile());
        Files.createDirectories(work);
        boolean ccache = onPath("ccache");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANGUAGE"));
        // one fixed locale: English messages (the failure line is matched on "error:") and a stable ccache key
        // (ccache hashes LANG/LC_*, so a build from another shell's locale would miss every object)
        env.put("LANG", "C.UTF-8");
        if (ccache) {
            env.put("CCACHE_DIR", cacheRoot.resolve("ccache").toString());
            // every build has its own work directory: absolute paths under it are hashed relative to it, so a
            // file compiled in another build's directory (a bisect's next step, another patch) is a hit
            env.put("CCACHE_BASEDIR", work.toString());
        }
        StepRunner steps = new StepRunner(logFile, env, PROGRESS_EVERY);
        steps.appendLog("# ringvm kernel build " + id + " key " + key + "\n# source: " + src.identity()
                + "\n# arch: " + arch.id() + "\n# base: " + source.config() + "\n# fragments: " + source.fragments() + "\n# patches: " + source.patches());
        long t0 = System.nanoTime();
        try {
            Path tree = fetchAndUnpack(id, src, work, steps, logFile, say);
            for (Path patch : source.patches()) {
                say.accept("patch " + patch.getFileName());
                StepRunner.Outcome o = steps.run(BuildSteps.patch(patch), tree, STEP_TIMEOUT, StepRunner.ProgressSink.NONE);
                if (!o.ok()) {
                    throw new KernelUnavailableException(id + ": patch " + patch + " does not apply: "
                            + String.join(" | ", o.tail().subList(Math.max(0, o.tail().size() - 4), o.tail().size()))
                            + " (log: " + logFile + ")");
                }
            }
            configure(id, source, arch, tree, steps, logFile, say);
            List<String> make = BuildSteps.image(jobs, ccache, arch);
            say.accept("compile: " + String.join(" ", make) + (ccache ? " (ccache)" : ""));
            long tc = System.nanoTime();
            StepRunner.Outcome o = steps.run(make, tree, MAKE_TIMEOUT,
                    (s, n) -> say.accept("compile: " + s + " s, " + n + " files compiled"));
            if (!o.ok()) {
                throw new KernelUnavailableException(id + ": make " + BuildSteps.target(arch) + " "
                        + (o.timedOut() ? "killed at the " + MAKE_TIMEOUT.toMinutes() + " min deadline" : "failed (exit " + o.exitCode() + ")")
                        + ": " + o.why() + " (log: " + logFile + ")");
            }
            say.accept("compile: done in " + Duration.ofNanos(System.nanoTime() - tc).toSeconds() + " s, "
                    + o.compiled() + " files compiled");
            Path built = BuildSteps.image(tree, arch);
            if (!Files.isRegularFile(built)) {
                throw new KernelUnavailableException(id + ": make succeeded but left no " + built + " (log: " + logFile + ")");
            }
            // a cross build is checked here (a tree whose make ignored ARCH= leaves a host image); an x86-64 image is
            // read by the resolver like any other
            java.util.Optional<String> problem = arch == Arch.X86_64 ? java.util.Optional.empty()
                    : dev.ringvm.kernel.KernelImages.problem(built, arch);
            if (problem.isPresent()) {
                throw new KernelUnavailableException(id + ": make left an unusable image: " + problem.get() + " (log: " + logFile + ")");
            }
            Files.copy(tree.resolve(".config"), out.resolve("config"), StandardCopyOption.REPLACE_EXISTING);
            Path image = out.resolve(imageName(arch));
            AtomicFiles.write(sidecar(image), Sha256.hex(built) + "\n");
            AtomicFiles.copy(built, image);
            say.accept("built " + image + " (" + Files.size(image) / 1024 + " KiB) in "
                    + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s");
            return image;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelUnavailableException(id + ": build interrupted (log: " + logFile + ")", e);
        } finally {
            // a failed build keeps its log, not its work tree: a bisect with many failing steps would leave one
            // copy of the source per step
            FileUtils.deleteDirectory(work.toFile());
        }
    }

    private Path fetchAndUnpack(String id, Source src, Path work, StepRunner steps, Path logFile, Consumer<String> say)
            throws IOException, InterruptedException, KernelUnavailableException {
        Path srcDir = work.resolve("src");
        if (src.tree() != null) {
            say.accept("copy " + src.tree());
            Files.createDirectories(srcDir);
            StepRunner.Outcome o = steps.run(BuildSteps.copyTree(src.tree(), srcDir), work, STEP_TIMEOUT, StepRunner.ProgressSink.NONE);
            if (!o.ok()) throw new KernelUnavailableException(id + ": copying " + src.tree() + " failed: " + o.why() + " (log: " + logFile + ")");
            return srcDir;
        }
        say.accept("fetch " + src.ref().pinned() + " from " + src.suite());
        Path deb;
        try {
            deb = apt.download(src.suite(), src.ref(), buildsDir().resolve("debs"));
        } catch (AptException e) {
            throw new KernelUnavailableException(id + ": " + e.getMessage(), e);
        }
        List<Path> tarballs = DebArchive.extract(deb, n -> n.matches("(\\./)?usr/src/linux-source-[^/]*\\.tar\\.xz"), work.resolve("deb"));
        if (tarballs.size() != 1) {
            throw new KernelUnavailableException(id + ": " + deb.getFileName() + " holds " + tarballs.size()
                    + " usr/src/linux-source-*.tar.xz files, expected one");
        }
        say.accept("unpack " + tarballs.getFirst().getFileName() + " (" + Files.size(tarballs.getFirst()) / (1024 * 1024) + " MiB)");
        Files.createDirectories(srcDir);
        StepRunner.Outcome o = steps.run(BuildSteps.untar(tarballs.getFirst(), srcDir), work, STEP_TIMEOUT, StepRunner.ProgressSink.NONE);
        if (!o.ok()) throw new KernelUnavailableException(id + ": unpacking failed: " + o.why() + " (log: " + logFile + ")");
        Files.delete(tarballs.getFirst());
        try (Stream<Path> s = Files.list(srcDir)) {
            List<Path> dirs = s.filter(Files::isDirectory).toList();
            if (dirs.size() != 1 || !Files.isRegularFile(dirs.getFirst().resolve("Makefile"))) {
                throw new KernelUnavailableException(id + ": unexpected tarball layout " + dirs + " (log: " + logFile + ")");
            }
            return dirs.getFirst();
        }
    }

    private void configure(String id, KernelSource.BuildSource source, Arch arch, Path tree, StepRunner steps, Path logFile,
                           Consumer<String> say) throws IOException, InterruptedException, KernelUnavailableException {
        say.accept("config " + source.config() + (source.fragments().isEmpty() ? ""
                : " + " + source.fragments().stream().map(f -> f.getFileName().toString()).toList()));
        List<List<String>> argvs = new ArrayList<>();
        List<String> base = BuildSteps.forArch(BuildSteps.baseConfig(source.config()), arch);
        if (base != null) {
            argvs.add(base);
        } else {
            Files.copy(Path.of(source.config()), tree.resolve(".config"), StandardCopyOption.REPLACE_EXISTING);
            argvs.add(BuildSteps.forArch(BuildSteps.olddefconfig(), arch));
        }
        if (!source.fragments().isEmpty()) {
            argvs.add(BuildSteps.mergeFragments(source.fragments()));
            argvs.add(BuildSteps.forArch(BuildSteps.olddefconfig(), arch));
        }
        for (List<String> argv : argvs) {
            StepRunner.Outcome o = steps.run(argv, tree, STEP_TIMEOUT, StepRunner.ProgressSink.NONE);
            if (!o.ok()) {
                throw new KernelUnavailableException(id + ": " + String.join(" ", argv) + " failed: " + o.why() + " (log: " + logFile + ")");
            }
        }
        List<java.util.Map<String, String>> wanted = new ArrayList<>();
        for (Path f : source.fragments()) wanted.add(ConfigFragments.parse(f));
        List<String> missing = ConfigFragments.missing(wanted, ConfigFragments.parse(tree.resolve(".config")));
        if (!missing.isEmpty()) {
            steps.appendLog("# options the fragments set that are not in the final .config:\n# " + String.join("\n# ", missing));
            throw new KernelUnavailableException(id + ": " + missing.size() + " fragment option(s) dropped by olddefconfig "
                    + "(a dependency is missing): " + String.join(", ", missing) + " (log: " + logFile + ")");
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------

    static boolean onPath(String tool) {
        return Tools.onPath(tool);
    }
}
