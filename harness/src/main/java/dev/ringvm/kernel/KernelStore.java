package dev.ringvm.kernel;

import dev.ringvm.config.KernelSource;
import dev.ringvm.host.AtomicFiles;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The content-addressed kernel cache under the ringvm cache root: images as {@code kernels/<sha256>/vmlinuz}, .debs
 * as {@code debs/<sha256>.deb}, and two indexes that save a download or an extraction: {@code kernels/by-package/
 * NAME_VERSION} ("sha256 imagePackage": the image an apt package version held) and {@code kernels/by-deb/<debSha>}
 * ("sha256": the image a .deb held). Everything is written through temp files and atomic renames, so concurrent runs
 * are safe; everything read is checked against its sha256 first.
 */
final class KernelStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A kernel image file with its sha256 and bzImage header. */
    record Image(Path path, String sha256, BzImage bz) {
        /** Reads {@code file}'s sha256 and header. */
        static Image of(Path file) throws IOException {
            return new Image(file, Sha256.hex(file), BzImage.read(file));
        }

        ResolvedKernel resolved(String id, KernelSource source, String packageName, String version) {
            return new ResolvedKernel(id, source, path, sha256, bz.release(), bz.versionString(), packageName, version);
        }
    }

    /** What the by-package index remembers of an apt package version. */
    record Indexed(Image image, String imagePackage) {}

    private final Path root;

    KernelStore(Path cacheRoot) {
        this.root = cacheRoot.toAbsolutePath();
    }

    Path imagePath(String sha) {
        return CacheDirs.kernelImage(root, sha);
    }

    /** The stored image with this sha256, when it is there and its bytes still hash to it. */
    Optional<Image> image(String sha) throws IOException {
        Path p = imagePath(sha);
        if (!SHA256.matcher(sha).matches() || !Files.isRegularFile(p) || !Sha256.hex(p).equals(sha)) return Optional.empty();
        return Optional.of(new Image(p, sha, BzImage.read(p)));
    }

    /** Copies {@code file} (whose sha256 is {@code sha}) into place, unless an intact copy is there already. */
    Image store(Path file, String sha) throws IOException {
        BzImage bz = BzImage.read(file); // a file that is not a whole kernel image never enters the cache
        Path target = imagePath(sha);
        if (!(Files.isRegularFile(target) && Sha256.hex(target).equals(sha))) {
            AtomicFiles.copy(file, target);
        }
        return new Image(target, sha, bz);
    }

    /** {@code debs/<sha256>.deb}: downloaded .debs. */
    Path debPath(String sha) {
        return root.resolve("debs").resolve(sha + ".deb");
    }

    /** Whether the .deb with this sha256 is cached and intact. */
    boolean hasDeb(String sha) throws IOException {
        Path deb = debPath(sha);
        return Files.isRegularFile(deb) && Sha256.hex(deb).equals(sha);
    }

    /** Whether a .deb is cached under this sha256 but its bytes no longer hash to it (then it is deleted). */
    boolean dropDamagedDeb(String sha) throws IOException {
        Path deb = debPath(sha);
        if (!Files.isRegularFile(deb) || Sha256.hex(deb).equals(sha)) return false;
        Files.deleteIfExists(deb);
        return true;
    }

    /** Where temporary downloads and extractions go: on the cache's file system, so they can be renamed into it. */
    Path tmp() throws IOException {
        return Files.createDirectories(root.resolve("tmp"));
    }

    Path packageIndex(PackageRef ref) {
        String key = (ref.name() + "_" + ref.version()).replaceAll("[^A-Za-z0-9.+~_-]", "%");
        return root.resolve("kernels").resolve("by-package").resolve(key);
    }

    /** The image already extracted from this package version, if the index names one that is intact. */
    Optional<Indexed> byPackage(PackageRef ref) throws IOException {
        Path index = packageIndex(ref);
        if (!Files.isRegularFile(index)) return Optional.empty();
        String[] f = Files.readString(index).strip().split("\\s+");
        if (f.length != 2) return Optional.empty();
        return image(f[0]).map(img -> new Indexed(img, f[1]));
    }

    void indexPackage(PackageRef ref, String imagePackage, String sha) throws IOException {
        AtomicFiles.write(packageIndex(ref), sha + " " + imagePackage + "\n");
    }

    /**
     * The vmlinuz inside {@code deb} (whose sha256 is {@code debSha}), stored; the by-deb index remembers which image
     * a .deb held, so a cached .deb is not extracted again.
     */
    Image imageFromDeb(String id, Path deb, String debSha, Consumer<String> log) throws IOException {
        Path index = root.resolve("kernels").resolve("by-deb").resolve(debSha);
        if (Files.isRegularFile(index)) {
            String sha = Files.readString(index).strip();
            Optional<Image> known = image(sha);
            if (known.isPresent()) return known.get();
            if (SHA256.matcher(sha).matches() && Files.exists(imagePath(sha))) {
                log.accept("kernel " + id + ": cached image " + imagePath(sha) + " does not match its sha256; extracting it again");
            }
        }
        Path work = dev.ringvm.host.TempDirs.create(tmp(), "deb-");
        try {
            Path extracted = work.resolve("vmlinuz");
            if (DebArchive.extractKernelImage(deb, extracted).isEmpty()) {
                throw new KernelIntegrityException(deb.getFileName() + ": no kernel image in the package (no /boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz)");
            }
            Image stored = store(extracted, Sha256.hex(extracted));
            AtomicFiles.write(index, stored.sha256() + "\n");
            log.accept("kernel " + id + ": stored " + stored.bz().release() + " as " + stored.path());
            return stored;
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
        }
    }
}
