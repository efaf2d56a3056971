package dev.ringvm.kernel;

import dev.ringvm.host.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kernel package formats ringvm reads, each with where the cache keeps its files and how the kernel image (and
 * the kernel's config, when the package ships it) comes out of it in one pass.
 */
enum PackageFormat {
    DEB(".deb", "debs", "by-deb", DebArchive.KERNEL_IMAGE),
    RPM(".rpm", "rpms", "by-rpm", RpmArchive.KERNEL_IMAGE);

    /** File name suffix. */
    final String suffix;
    /** {@code <cache>/<dir>/<sha256><suffix>}: downloaded packages. */
    final String dir;
    /** {@code <cache>/kernels/<index>/<package sha256>}: the image a package held. */
    final String index;
    private final Pattern image;

    PackageFormat(String suffix, String dir, String index, Pattern image) {
        this.suffix = suffix;
        this.dir = dir;
        this.index = index;
        this.image = image;
    }

    /** What came out of a package: the image's entry name, and whether a config file was written too. */
    record Extracted(String imageEntry, boolean config) {}

    /** A package entry: its name as stored, whether it is a regular file, its size, and its content. */
    private interface Entry {
        String name();
        boolean isFile();
        long size();
    }

    /**
     * Writes the kernel image of {@code pkg} to {@code imageDest} and, when the package has the kernel's config
     * ({@link GuestKernelConfig#CONFIG_ENTRY}), that to {@code configDest}; empty when it has no image.
     */
    Optional<Extracted> extract(Path pkg, Path imageDest, Path configDest) throws IOException {
        String[] image = {null};
        boolean[] config = {false};
        Visitor v = (e, in) -> {
            if (!e.isFile()) return true;
            if (image[0] == null && this.image.matcher(e.name()).matches()) {
                copyExactly(pkg, e, in, imageDest);
                image[0] = e.name();
            } else if (!config[0] && GuestKernelConfig.CONFIG_ENTRY.matcher(e.name()).matches()) {
                copyExactly(pkg, e, in, configDest);
                config[0] = true;
            }
            return image[0] == null || !config[0];
        };
        switch (this) {
            case DEB -> DebArchive.walk(pkg, (e, in) -> v.visit(new Entry() {
                public String name() { return e.getName(); }
                public boolean isFile() { return e.isFile(); }
                public long size() { return e.getSize(); }
            }, in));
            case RPM -> RpmArchive.walk(pkg, (e, in) -> v.visit(new Entry() {
                public String name() { return e.getName(); }
                public boolean isFile() { return e.isRegularFile(); }
                public long size() { return e.getSize(); }
            }, in));
        }
        if (image[0] == null && config[0]) Files.deleteIfExists(configDest);
        return image[0] == null ? Optional.empty() : Optional.of(new Extracted(image[0], config[0]));
    }

    /** Where a package of this format lists its image, for the message when it has none. */
    String imagePlaces() {
        return switch (this) {
            case DEB -> "no /boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz";
            case RPM -> "no /boot/vmlinuz-* or /lib/modules/*/vmlinuz (is it kernel-core, or kernel-default?)";
        };
    }

    private interface Visitor {
        boolean visit(Entry e, InputStream in) throws IOException;
    }

    private static void copyExactly(Path pkg, Entry e, InputStream in, Path dest) throws IOException {
        AtomicFiles.write(dest, out -> {
            long n = in.transferTo(out);
            if (n != e.size()) {
                throw new IOException(pkg + ": corrupt or truncated package (" + e.name() + ": " + n + " of " + e.size() + " bytes)");
            }
        });
    }
}
