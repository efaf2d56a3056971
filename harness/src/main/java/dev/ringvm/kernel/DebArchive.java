package dev.ringvm.kernel;

import dev.ringvm.host.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads Debian binary packages in Java: {@code ar} archive, then its {@code data.tar[.xz|.zst|.gz]} member.
 * Any format problem (not an ar archive, no data member, truncated stream) is an IOException whose message is
 * one line naming the file.
 */
public final class DebArchive {

    /**
     * Where Debian kernel packages put the image: {@code ./boot/vmlinuz-RELEASE} (up to trixie) or
     * {@code ./usr/lib/modules/RELEASE/vmlinuz} (the linux-binary-* packages of the newer split packaging).
     */
    public static final Pattern KERNEL_IMAGE = Pattern.compile("(\\./)?(boot/vmlinuz-[^/]+|usr/lib/modules/[^/]+/vmlinuz)");

    private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);

    private DebArchive() {}

    /** Visitor of data.tar entries; return false to stop reading. */
    interface EntryVisitor {
        boolean visit(TarArchiveEntry entry, InputStream content) throws IOException;
    }

    /** Copies the kernel image out of {@code deb} to {@code dest}; the entry name, or empty if the package has none. */
    public static Optional<String> extractKernelImage(Path deb, Path dest) throws IOException {
        String[] found = {null};
        walk(deb, (entry, in) -> {
            if (entry.isFile() && KERNEL_IMAGE.matcher(entry.getName()).matches()) {
                copyExactly(deb, entry, in, dest);
                found[0] = entry.getName();
                return false;
            }
            return true;
        });
        return Optional.ofNullable(found[0]);
    }

    /**
     * Extracts every entry whose name (as stored, e.g. {@code ./usr/include/linux/io_uring.h}) satisfies
     * {@code entryName} under {@code destDir}, keeping relative paths. Regular files and directories are written;
     * symbolic links are recreated when they stay inside {@code destDir}. Returns the files written.
     */
    public static List<Path> extract(Path deb, Predicate<String> entryName, Path destDir) throws IOException {
        Path base = Files.createDirectories(destDir).toRealPath();
        List<Path> written = new ArrayList<>();
        walk(deb, (entry, in) -> {
            if (!entryName.test(entry.getName())) return true;
            Path target = base.resolve(stripDot(entry.getName())).normalize();
            if (!target.startsWith(base) || target.equals(base)) {
                if (target.equals(base)) return true;
                throw new IOException(deb + ": entry escapes the destination: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(target);
                return true;
            }
            Path parent = Files.createDirectories(target.getParent()).toRealPath();
            if (!parent.startsWith(base)) {
                throw new IOException(deb + ": entry escapes the destination through a link: " + entry.getName());
            }
            if (entry.isSymbolicLink()) {
                Path link = target.getParent().resolve(entry.getLinkName()).normalize();
                if (link.startsWith(base)) {
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    written.add(target);
                }
            } else if (entry.isFile()) {
                copyExactly(deb, entry, in, target);
                written.add(target);
            }
            return true;
        });
        return written;
    }

    /** Names of all data.tar entries (for diagnostics and tests). */
    public static List<String> list(Path deb) throws IOException {
        List<String> names = new ArrayList<>();
        walk(deb, (entry, in) -> names.add(entry.getName()));
        return names;
    }

    static void walk(Path deb, EntryVisitor visitor) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(deb))) {
            raw.mark(AR_MAGIC.length);
            byte[] head = raw.readNBytes(AR_MAGIC.length);
            raw.reset();
            if (!java.util.Arrays.equals(head, AR_MAGIC)) {
                throw new KernelIntegrityException(deb + ": not a .deb (no ar archive header)");
            }
            ArArchiveInputStream ar = new ArArchiveInputStream(raw);
            ArArchiveEntry member;
            while ((member = ar.getNextEntry()) != null) {
                String name = member.getName();
                if (!name.startsWith("data.tar")) continue;
                try (TarArchiveInputStream tar = new TarArchiveInputStream(decompress(deb, name, ar))) {
                    TarArchiveEntry entry;
                    while ((entry = tar.getNextEntry()) != null) {
                        if (!visitor.visit(entry, tar)) return;
                    }
                }
                return;
            }
            throw new KernelIntegrityException(deb + ": corrupt .deb: no data.tar member");
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(deb.toString())) throw e;
            // the disk, not the package (no space for the extracted file, a read error): said as it is
            if (e instanceof java.nio.file.FileSystemException
                    || (e.getMessage() != null && e.getMessage().contains("No space left on device"))) {
                throw e;
            }
            String why = e instanceof EOFException ? "unexpected end of file" : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new KernelIntegrityException(deb + ": corrupt or truncated .deb (" + why.replaceAll("\\s*\\R\\s*", " ") + ")", e);
        }
    }

    private static InputStream decompress(Path deb, String member, InputStream in) throws IOException {
        InputStream unclosable = new java.io.FilterInputStream(in) {
            @Override public void close() { /* the ar stream stays open for its caller */ }
        };
        return switch (member) {
            case "data.tar" -> unclosable;
            case "data.tar.xz" -> new XZCompressorInputStream(unclosable);
            case "data.tar.zst" -> new ZstdCompressorInputStream(unclosable);
            case "data.tar.gz" -> new GzipCompressorInputStream(unclosable);
            default -> throw new IOException(deb + ": unsupported data member " + member);
        };
    }

    /** Writes the entry to a temp file next to {@code dest}, checks its length, then renames it into place. */
    private static void copyExactly(Path deb, TarArchiveEntry entry, InputStream in, Path dest) throws IOException {
        AtomicFiles.write(dest, out -> {
            long n = in.transferTo(out);
            if (n != entry.getSize()) {
                throw new KernelIntegrityException(deb + ": corrupt or truncated .deb (" + entry.getName() + ": " + n + " of " + entry.getSize() + " bytes)");
            }
        });
    }

    private static String stripDot(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        while (n.startsWith("/")) n = n.substring(1);
        return n;
    }
}
