package dev.ringvm.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Writes a newc cpio the kernel's initramfs unpacker accepts. Every entry has mtime 0, uid/gid 0 and a
 * fresh inode number, so equal inputs give equal bytes (the kernel links entries with nlink > 1 and equal
 * inode, hence files always get nlink 1). Parent directories are added on demand.
 */
final class CpioWriter implements AutoCloseable {
    private final CpioArchiveOutputStream out;
    private final Set<String> names = new HashSet<>();
    private long inode = 1;

    CpioWriter(OutputStream sink) {
        this.out = new CpioArchiveOutputStream(sink, CpioConstants.FORMAT_NEW);
    }

    /** Adds a directory (and its parents) once; later calls for the same name are ignored. */
    void dir(String name, int mode) throws IOException {
        String n = normalize(name);
        if (n.isEmpty() || names.contains(n)) {
            return;
        }
        parents(n);
        CpioArchiveEntry e = entry(n, CpioConstants.C_ISDIR | mode, 0);
        e.setNumberOfLinks(2);
        out.putArchiveEntry(e);
        out.closeArchiveEntry();
    }

    void file(String name, int mode, byte[] content) throws IOException {
        String n = add(name);
        out.putArchiveEntry(entry(n, CpioConstants.C_ISREG | mode, content.length));
        out.write(content);
        out.closeArchiveEntry();
    }

    void file(String name, int mode, Path source) throws IOException {
        String n = add(name);
        out.putArchiveEntry(entry(n, CpioConstants.C_ISREG | mode, Files.size(source)));
        try (InputStream in = Files.newInputStream(source)) {
            in.transferTo(out);
        }
        out.closeArchiveEntry();
    }

    void symlink(String name, String target) throws IOException {
        String n = add(name);
        byte[] t = target.getBytes(StandardCharsets.UTF_8);
        out.putArchiveEntry(entry(n, CpioConstants.C_ISLNK | 0777, t.length));
        out.write(t);
        out.closeArchiveEntry();
    }

    void charDevice(String name, int mode, int major, int minor) throws IOException {
        String n = add(name);
        CpioArchiveEntry e = entry(n, CpioConstants.C_ISCHR | mode, 0);
        e.setRemoteDeviceMaj(major);
        e.setRemoteDeviceMin(minor);
        out.putArchiveEntry(e);
        out.closeArchiveEntry();
    }

    boolean contains(String name) {
        return names.contains(normalize(name));
    }

    private String add(String name) throws IOException {
        String n = normalize(name);
        if (!names.add(n)) {
            throw new IOException("duplicate cpio entry " + n);
        }
        parents(n);
        return n;
    }

    private void parents(String n) throws IOException {
        names.add(n);
        int slash = n.lastIndexOf('/');
        if (slash > 0) {
            dir(n.substring(0, slash), 0755);
        }
    }

    private CpioArchiveEntry entry(String name, int mode, long size) {
        names.add(name);
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, size);
        e.setMode(mode);
        e.setInode(inode++);
        e.setNumberOfLinks(1);
        e.setTime(0);
        e.setUID(0);
        e.setGID(0);
        return e;
    }

    /** cpio names are relative ("bin/busybox"), as the kernel and gen_init_cpio write them. */
    static String normalize(String name) {
        String n = name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
