package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
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
 * NAME_VERSION[_ARCH]} ("sha256 imagePackage": the image an apt package version held) and {@code kernels/by-deb/<debSha>}
 * ("sha256": the image a .deb held). Everything is written through temp files and atomic renames, so concurrent runs
 * are safe; everything read is checked against its sha256 first.
 */
final class KernelStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A kernel image file with its sha256 and header (bzImage or arm64 Image). */
    record Image(Path path, String sha256, KernelImage header) {
        /** Reads {@code file}'s sha256 and header. */
        static Image of(Path file) throws IOException {
            return new Image(file, Sha256.hex(file), KernelImage.read(file));
        }

        ResolvedKernel resolved(String id, KernelSource source, String packageName, String version) {
            return new ResolvedKernel(id, source, path, sha256, header.release(), header.versionString(), packageName,
                    version, header.arch(), header.pageKiB());
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
        return Optional.of(new Image(p, sha, KernelImage.read(p)));
    }

    /** Copies {@code file} (whose sha256 is {@code sha}) into place, unless an intact copy is there already. */
    Image store(Path file, String sha) throws IOException {
        KernelImage header = KernelImage.read(file); // a file that is not a whole kernel image never enters the cache
        Path target = imagePath(sha);
        if (!(Files.isRegularFile(target) && Sha256.hex(target).equals(sha))) {
            AtomicFiles.copy(file, target);
        }
        return new Image(target, sha, header);
    }

    /** {@code debs/<sha256>.deb}: downloaded .debs. */
    Path debPath(String sha) {
        return packagePath(PackageFormat.DEB, sha);
    }

    /** {@code debs/<sha256>.deb} or {@code rpms/<sha256>.rpm}: downloaded packages. */
    Path packagePath(PackageFormat format, String sha) {
        return root.resolve(format.dir).resolve(sha + format.suffix);
    }

    /** Whether the .deb with this sha256 is cached and intact. */
    boolean hasDeb(String sha) throws IOException {
        return hasPackage(PackageFormat.DEB, sha);
    }

    /** Whether the package with this sha256 is cached and intact. */
    boolean hasPackage(PackageFormat format, String sha) throws IOException {
        Path p = packagePath(format, sha);
        return Files.isRegularFile(p) && Sha256.hex(p).equals(sha);
    }

    /** Whether a package is cached under this sha256 but its bytes no longer hash to it (then it is deleted). */
    boolean dropDamagedPackage(PackageFormat format, String sha) throws IOException {
        Path p = packagePath(format, sha);
        if (!Files.isRegularFile(p) || Sha256.hex(p).equals(sha)) return false;
        Files.deleteIfExists(p);
        return true;
    }

    /** Where temporary downloads and extractions go: on the cache's file system, so they can be renamed into it. */
    Path tmp() throws IOException {
        return Files.createDirectories(root.resolve("tmp"));
    }

    /**
     * {@code NAME_VERSION} for an amd64 package (the name entries written before arm64 have), {@code NAME_VERSION_ARCH}
     * for another architecture: Ubuntu names a flavour the same on amd64 and arm64 ({@code linux-image-6.8.0-45-generic}).
     */
    Path packageIndex(PackageRef ref, Arch arch) {
        String key = (ref.name() + "_" + ref.version() + (arch == Arch.X86_64 ? "" : "_" + arch.debian()))
                .replaceAll("[^A-Za-z0-9.+~_-]", "%");
        return root.resolve("kernels").resolve("by-package").resolve(key);
    }

    /** The image already extracted from this package version of {@code arch}, if the index names one that is intact. */
    Optional<Indexed> byPackage(PackageRef ref, Arch arch) throws IOException {
        Path index = packageIndex(ref, arch);
        if (!Files.isRegularFile(index)) return Optional.empty();
        String[] f = Files.readString(index).strip().split("\\s+");
        if (f.length != 2) return Optional.empty();
        return image(f[0]).map(img -> new Indexed(img, f[1]));
    }

    void indexPackage(PackageRef ref, Arch arch, String imagePackage, String sha) throws IOException {
        AtomicFiles.write(packageIndex(ref, arch), sha + " " + imagePackage + "\n");
    }

    /** {@link #imageFromPackage} for a .deb. */
    Image imageFromDeb(String id, Path deb, String debSha, Consumer<String> log) throws IOException {
        return imageFromPackage(PackageFormat.DEB, id, deb, debSha, log);
    }

    /**
     * The kernel image inside {@code pkg} (whose sha256 is {@code pkgSha}), stored; the by-deb or by-rpm index
     * remembers which image a package held, so a cached package is not extracted again. A package that ships the
     * kernel's config is refused when the config lacks what the guest needs built in ({@link GuestKernelConfig}).
     */
    Image imageFromPackage(PackageFormat format, String id, Path pkg, String pkgSha, Consumer<String> log) throws IOException {
        Path index = root.resolve("kernels").resolve(format.index).resolve(pkgSha);
        if (Files.isRegularFile(index)) {
            String sha = Files.readString(index).strip();
            Optional<Image> known = image(sha);
            if (known.isPresent()) return known.get();
            if (SHA256.matcher(sha).matches() && Files.exists(imagePath(sha))) {
                log.accept("kernel " + id + ": cached image " + imagePath(sha) + " does not match its sha256; extracting it again");
            }
        }
        Path work = dev.ringvm.host.TempDirs.create(tmp(), "pkg-");
        try {
            Path extracted = work.resolve("vmlinuz");
            Path config = work.resolve("config");
            Optional<PackageFormat.Extracted> x = format.extract(pkg, extracted, config);
            if (x.isEmpty()) {
                throw new KernelIntegrityException(pkg.getFileName() + ": no kernel image in the package (" + format.imagePlaces() + ")");
            }
            KernelImage header = KernelImage.read(extracted);
            if (x.get().config()) {
                checkConfig(pkg.getFileName().toString(), header, config);
            } else {
                log.accept("kernel " + id + ": " + pkg.getFileName() + " has no kernel config; built-in drivers not checked");
            }
            Image stored = store(extracted, Sha256.hex(extracted));
            AtomicFiles.write(index, stored.sha256() + "\n");
            log.accept("kernel " + id + ": stored " + stored.header().release() + " (" + stored.header().describe() + ") as " + stored.path());
            return stored;
        } finally {
            org.apache.commons.io.FileUtils.deleteQuietly(work.toFile());
        }
    }

    /**
     * Refuses a kernel whose config (from package {@code what}) lacks a built-in option the guest of its architecture
     * needs.
     */
    static void checkConfig(String what, KernelImage header, Path config) throws IOException {
        java.util.List<String> missing = GuestKernelConfig.missing(header.arch(),
                Files.readString(config, java.nio.charset.StandardCharsets.ISO_8859_1));
        if (!missing.isEmpty()) {
            throw new IOException(what + ": kernel " + header.release() + " cannot boot ringvm's "
                    + (header.arch() == Arch.X86_64 ? "" : header.arch().id() + " ") + "guest, which loads no modules: "
                    + String.join(", ", missing) + " in its config");
        }
    }
}
