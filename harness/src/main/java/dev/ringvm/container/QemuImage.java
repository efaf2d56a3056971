package dev.ringvm.container;

import com.github.dockerjava.api.DockerClient;
import dev.ringvm.host.CacheLock;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.host.Tools;
import dev.ringvm.kernel.AptException;
import dev.ringvm.kernel.AptRepo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The local docker image QEMU runs in: built once per recipe hash with debootstrap from the host's Debian mirror,
 * imported with {@code docker import}, reused while the daemon holds the tag. No registry is involved. Builds run
 * under a cache lock, so concurrent runs build once and the second one finds the tag.
 */
public final class QemuImage {
    /** debootstrap downloads about 150 packages; measured about 3 minutes here. */
    static final Duration BUILD_DEADLINE = Duration.ofMinutes(30);
    static final Duration STEP_DEADLINE = Duration.ofMinutes(5);
    /** Progress lines at most this often while one debootstrap stage repeats (Retrieving x 150). */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    /** The image to start containers from; {@code buildTime} is zero when it was already there. */
    public record Result(String tag, boolean cached, Duration buildTime) {}

    private QemuImage() {}

    public static Result ensure(DockerClient docker, Path cacheRoot, ContainerRecipe recipe, Consumer<String> log)
            throws ContainerException, InterruptedException {
        String tag = recipe.tag();
        Path dir = cacheRoot.resolve("container");
        String id = recipe.hash().substring(0, 12);
        Path idFile = dir.resolve(id + ".image-id");
        try {
            if (reusable(docker, tag, idFile, false, log)) return new Result(tag, true, Duration.ZERO);
            return CacheLock.<Result, Exception>with(dir.resolve(id + ".lock"), () -> {
                // built while we waited; or damaged: removed, then built again
                if (reusable(docker, tag, idFile, true, log)) return new Result(tag, true, Duration.ZERO);
                long t0 = System.nanoTime();
                build(docker, recipe, dir.resolve("build-" + id), log);
                String built = Docker.imageId(docker, tag).orElseThrow(() -> new ContainerException(
                        "qemu image: the build finished but " + tag + " is not there"));
                dev.ringvm.host.AtomicFiles.write(idFile, built + "\n");
                return new Result(tag, false, Duration.ofNanos(System.nanoTime() - t0));
            });
        } catch (ContainerException | InterruptedException e) {
            throw e;
        } catch (IOException e) {
            throw new ContainerException("qemu image " + tag + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ContainerException("qemu image " + tag + ": " + Docker.firstLine(e), e);
        }
    }

    private static void build(DockerClient docker, ContainerRecipe recipe, Path work, Consumer<String> log)
            throws ContainerException, IOException, InterruptedException {
        String debootstrap = debootstrap().orElseThrow(() -> new ContainerException(
                "debootstrap not found: the container runner builds its QEMU image with it (apt-get install debootstrap)"));
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new ContainerException("building the QEMU image " + recipe.tag()
                    + " needs root (debootstrap); run `ringvm run --runner container` once as root");
        }
        String mirror;
        try {
            mirror = AptRepo.hostMirror();
        } catch (AptException e) {
            throw new ContainerException("qemu image: " + e.getMessage(), e);
        }
        removeTree(work);
        Path rootfs = work.resolve("rootfs");
        Files.createDirectories(work);
        try {
            log.accept("qemu image " + recipe.tag() + ": building with debootstrap (" + recipe.suite() + ", "
                    + recipe.variant() + ", + " + String.join(" ", recipe.include()) + ") from " + mirror);
            runDebootstrap(recipe.debootstrapArgv(debootstrap, mirror, rootfs), log);
            for (String r : recipe.remove()) {
                Path p = rootfs.resolve(r);
                if (Files.isDirectory(p)) removeChildren(p);
            }
            log.accept("qemu image " + recipe.tag() + ": importing the root filesystem into docker");
            importTree(docker, rootfs, recipe.tag());
            if (!Docker.hasImage(docker, recipe.tag())) {
                throw new ContainerException("qemu image: docker import finished but " + recipe.tag() + " is not there");
            }
        } finally {
            removeTree(work);
        }
    }

    static Optional<String> debootstrap() {
        Optional<Path> p = Tools.find("debootstrap");
        if (p.isEmpty()) p = Tools.find("/usr/sbin/debootstrap");
        return p.map(Path::toString);
    }

    private static void runDebootstrap(List<String> argv, Consumer<String> log) throws ContainerException,
            IOException, InterruptedException {
        Deque<String> tail = new ArrayDeque<>();
        Progress progress = new Progress(log, System::nanoTime);
        ProcessRunner.Running p = ProcessRunner.startLines(argv, Path.of("."), e -> {
            e.put("LC_ALL", "C");
            e.put("DEBIAN_FRONTEND", "noninteractive");
        }, line -> {
            synchronized (tail) {
                tail.addLast(line);
                if (tail.size() > 20) tail.removeFirst();
            }
            progress.line(line);
        }, BUILD_DEADLINE);
        try {
            while (!p.waitFor(BUILD_DEADLINE)) {
                // the deadline kills it; then it has ended
            }
        } catch (InterruptedException e) {
            p.kill();
            throw e;
        }
        boolean done = !p.timedOut();
        if (!done || p.exitCode() != 0) {
            String last;
            synchronized (tail) {
                last = tail.stream().filter(l -> l.startsWith("E:") || l.startsWith("W:")).reduce((a, b) -> b)
                        .orElse(tail.isEmpty() ? "(no output)" : tail.getLast());
            }
            throw new ContainerException("qemu image: debootstrap " + (done ? "exited " + p.exitCode()
                    : "did not finish within " + BUILD_DEADLINE.toMinutes() + " minutes") + ": " + last.strip());
        }
    }

    /**
     * Whether the image {@code tag} names is the one ringvm built: its id must be the one recorded when it was built
     * ({@code <cache>/container/<hash>.image-id}); a tag that now names another image (re-tagged, rebuilt by hand,
     * a damaged store) is not reused: with {@code fix} (under the build lock) it is removed, with one line, so it
     * is built again. A tag built before ids were recorded gets its id recorded now.
     */
    private static boolean reusable(DockerClient docker, String tag, Path idFile, boolean fix, Consumer<String> log)
            throws IOException {
        java.util.Optional<String> actual = Docker.imageId(docker, tag);
        if (actual.isEmpty()) return false;
        java.util.Optional<String> recorded = Files.isRegularFile(idFile)
                ? java.util.Optional.of(Files.readString(idFile).strip()) : java.util.Optional.empty();
        java.util.Optional<String> wrong = mismatch(actual.get(), recorded);
        if (wrong.isEmpty()) {
            if (recorded.isEmpty() && fix) dev.ringvm.host.AtomicFiles.write(idFile, actual.get() + "\n");
            return recorded.isPresent() || fix;
        }
        if (!fix) return false;
        log.accept("qemu image " + tag + " is not the image ringvm built (" + wrong.get() + "); building it again");
        docker.removeImageCmd(tag).withForce(true).exec();
        return false;
    }

    /** Why an image with id {@code actual} is not the recorded build; empty when it is (or nothing was recorded). */
    static java.util.Optional<String> mismatch(String actual, java.util.Optional<String> recorded) {
        if (recorded.isEmpty() || recorded.get().equals(actual)) return java.util.Optional.empty();
        return java.util.Optional.of("id " + actual + ", recorded " + recorded.get());
    }

    /**
     * The tree as an image: a tar of it, then a build of {@code FROM scratch / ADD rootfs.tar /} (what
     * {@code docker import} does; docker-java's import call fails against docker 20.10 with "unexpected EOF", the
     * build call does not). Nothing runs during the build, so it needs no network and pulls nothing.
     */
    private static void importTree(DockerClient docker, Path rootfs, String tag) throws ContainerException,
            IOException, InterruptedException {
        Path context = rootfs.resolveSibling("context");
        Files.createDirectories(context);
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
        Path rootfsTar = context.resolve("rootfs.tar");
        ProcessRunner.Result t = ProcessRunner.run(List.of("tar", "--numeric-owner", "-C", rootfs.toString(), "-cf",
                rootfsTar.toString(), "."), STEP_DEADLINE);
        if (!t.ok()) throw new ContainerException("qemu image: tar of " + rootfs + " failed: " + t.tail(2));
        // the build context: a tar of the Dockerfile and rootfs.tar
        Path contextTar = rootfs.resolveSibling("context.tar");
        ProcessRunner.Result c = ProcessRunner.run(List.of("tar", "-C", context.toString(), "-cf", contextTar.toString(),
                "Dockerfile", "rootfs.tar"), STEP_DEADLINE);
        Files.delete(rootfsTar);
        if (!c.ok()) throw new ContainerException("qemu image: tar of " + context + " failed: " + c.tail(2));
        try (InputStream in = Files.newInputStream(contextTar)) {
            docker.buildImageCmd(in).withTags(java.util.Set.of(tag)).withNetworkMode("none").withPull(false)
                    .withNoCache(true).exec(new com.github.dockerjava.api.command.BuildImageResultCallback())
                    .awaitImageId(STEP_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            throw new ContainerException("qemu image: docker build of " + tag + " failed: " + Docker.firstLine(e), e);
        } finally {
            Files.deleteIfExists(contextTar);
        }
    }

    static final String DOCKERFILE = "FROM scratch\nADD rootfs.tar /\n";

    /**
     * Deletes a build tree, never across a mount point: debootstrap bind-mounts the host's /dev (in a container) and
     * mounts proc and sys inside the tree, and a killed debootstrap leaves them mounted. Those are unmounted first;
     * when one cannot be, the tree is left in place and the error says so.
     */
    static void removeTree(Path tree) throws IOException, ContainerException {
        if (!Files.exists(tree)) return;
        Path abs = tree.toAbsolutePath().normalize();
        for (String mp : mountsUnder(abs, Files.readAllLines(Path.of("/proc/self/mounts")))) {
            ProcessRunner.run(List.of("umount", "-l", mp), STEP_DEADLINE);
        }
        List<String> left = mountsUnder(abs, Files.readAllLines(Path.of("/proc/self/mounts")));
        if (!left.isEmpty()) {
            throw new ContainerException("qemu image: cannot remove " + abs + ": still mounted: " + left.getFirst());
        }
        ProcessRunner.Result r = ProcessRunner.run(List.of("rm", "-rf", "--one-file-system", abs.toString()), STEP_DEADLINE);
        if (!r.ok()) throw new IOException("cannot remove " + abs + ": " + r.tail(1));
    }

    /** Empties {@code dir} (one find process, never leaving the file system). */
    private static void removeChildren(Path dir) throws IOException {
        ProcessRunner.Result r = ProcessRunner.run(List.of("find", dir.toString(), "-xdev", "-mindepth", "1", "-delete"),
                STEP_DEADLINE);
        if (!r.ok()) throw new IOException("cannot empty " + dir + ": " + r.tail(1));
    }

    /** Mount points at or below {@code root}, deepest first, from /proc/self/mounts lines. Pure; unit tested. */
    static List<String> mountsUnder(Path root, List<String> mounts) {
        String r = root.toString();
        List<String> out = new ArrayList<>();
        for (String line : mounts) {
            String[] f = line.split(" ");
            if (f.length < 2) continue;
            String mp = f[1].replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
            if (mp.equals(r) || mp.startsWith(r + "/")) out.add(mp);
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return out;
    }

    /**
     * debootstrap's "I: Retrieving x" lines condensed: the first line of each kind (Retrieving, Validating,
     * Extracting, Unpacking, Configuring, ...), then at most one every {@link #PROGRESS_EVERY} with how many of its
     * kind have gone by; warnings and errors always.
     */
    static final class Progress {
        private final Consumer<String> log;
        private final LongSupplier nanos;
        private final java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        private long lastEmit;
        private boolean emitted;

        Progress(Consumer<String> log, LongSupplier nanos) {
            this.log = log;
            this.nanos = nanos;
        }

        synchronized void line(String raw) {
            String line = raw.strip();
            if (line.startsWith("W:") || line.startsWith("E:")) {
                log.accept("qemu image: debootstrap: " + line);
                return;
            }
            if (!line.startsWith("I: ")) return;
            String text = line.substring(3);
            int n = counts.merge(text.split(" ", 2)[0], 1, Integer::sum);
            long now = nanos.getAsLong();
            if (n == 1 || !emitted || now - lastEmit >= PROGRESS_EVERY.toNanos()) {
                log.accept("qemu image: debootstrap: " + text + (n > 1 ? " (" + n + " so far)" : ""));
                lastEmit = now;
                emitted = true;
            }
        }
    }
}
