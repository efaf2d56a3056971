package dev.ringvm.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the dynamic loader reads from a 64-bit little-endian ELF file (x86-64 and aarch64 alike): the machine, the
 * program interpreter ({@code PT_INTERP}) and the libraries it needs ({@code DT_NEEDED}). Read, never run, so the
 * library closure of an arm64 runtime is found on an x86-64 host ({@code readelf -d} says the same).
 *
 * @param machine     {@code e_machine}: {@link #EM_X86_64}, {@link #EM_AARCH64}
 * @param interpreter the program interpreter (executables), empty for shared libraries and static executables
 * @param needed      the {@code DT_NEEDED} names in file order; empty for a static executable
 */
record ElfFile(int machine, Optional<String> interpreter, List<String> needed) {
    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;

    ElfFile {
        needed = List.copyOf(needed);
    }

    /** True when {@code file} starts with the ELF magic. */
    static boolean isElf(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            ch.read(b, 0);
            return b.position() == 4 && b.get(0) == 0x7f && b.get(1) == 'E' && b.get(2) == 'L' && b.get(3) == 'F';
        }
    }

    /** Reads {@code file}; an error names the file when it is not a 64-bit little-endian ELF file or is truncated. */
    static ElfFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = bytes(ch, file, 0, 64);
            if (h.limit() < 4 || h.getInt(0) != 0x464c457f) throw new IOException(file + ": not an ELF file");
            if (h.limit() < 64) throw new IOException(file + ": truncated ELF file (" + h.limit() + " bytes)");
            if (h.get(4) != 2 || h.get(5) != 1) {
                throw new IOException(file + ": not a 64-bit little-endian ELF file (class " + h.get(4) + ", data " + h.get(5) + ")");
            }
            int machine = Short.toUnsignedInt(h.getShort(18));
            long phoff = h.getLong(32);
            int phentsize = Short.toUnsignedInt(h.getShort(54));
            int phnum = Short.toUnsignedInt(h.getShort(56));
            ByteBuffer ph = bytes(ch, file, phoff, (long) phentsize * phnum);
            List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
            long dynOff = -1;
            long dynSize = 0;
            String interp = null;
            for (int i = 0; i < phnum; i++) {
                int o = i * phentsize;
                int type = ph.getInt(o);
                long offset = ph.getLong(o + 8);
                long vaddr = ph.getLong(o + 16);
                long filesz = ph.getLong(o + 32);
                switch (type) {
                    case PT_LOAD -> loads.add(new long[] {vaddr, offset, filesz});
                    case PT_DYNAMIC -> { dynOff = offset; dynSize = filesz; }
                    case PT_INTERP -> interp = cString(bytes(ch, file, offset, filesz), 0);
                    default -> { }
                }
            }
            List<String> needed = new ArrayList<>();
            if (dynOff >= 0) {
                ByteBuffer dyn = bytes(ch, file, dynOff, dynSize);
                List<Long> neededOffsets = new ArrayList<>();
                long strtab = -1;
                for (int o = 0; o + 16 <= dynSize; o += 16) {
                    long tag = dyn.getLong(o);
                    long val = dyn.getLong(o + 8);
                    if (tag == DT_NULL) break;
                    if (tag == DT_NEEDED) neededOffsets.add(val);
                    if (tag == DT_STRTAB) strtab = val;
                }
                if (!neededOffsets.isEmpty()) {
                    if (strtab < 0) throw new IOException(file + ": DT_NEEDED without DT_STRTAB");
                    long strOff = fileOffset(file, loads, strtab);
                    for (long n : neededOffsets) {
                        needed.add(cString(bytes(ch, file, strOff + n, 256), 0));
                    }
                }
            }
            return new ElfFile(machine, Optional.ofNullable(interp), needed);
        }
    }

    /** The file offset of virtual address {@code vaddr}, through the PT_LOAD segment holding it. */
    private static long fileOffset(Path file, List<long[]> loads, long vaddr) throws IOException {
        for (long[] l : loads) {
            if (vaddr >= l[0] && vaddr < l[0] + l[2]) return l[1] + (vaddr - l[0]);
        }
        throw new IOException(file + ": address 0x" + Long.toHexString(vaddr) + " is in no loaded segment");
    }

    /** Up to {@code length} bytes at {@code offset} (fewer at the end of the file; none past it is an error). */
    private static ByteBuffer bytes(FileChannel ch, Path file, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || length > 1 << 24 || offset >= ch.size()) {
            throw new IOException(file + ": truncated ELF file (offset " + offset + ", size " + ch.size() + ")");
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(length, ch.size() - offset)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
            // read until full or the end of the file
        }
        return b.flip();
    }

    private static String cString(ByteBuffer b, int start) {
        int end = start;
        while (end < b.limit() && b.get(end) != 0) end++;
        byte[] s = new byte[end - start];
        b.get(start, s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
