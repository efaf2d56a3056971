package dev.ringvm.guest;

import dev.ringvm.host.ProcessRunner;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfFileTest {
    static final long BASE = 0x400000;

    /**
     * A minimal aarch64 executable as the loader sees it: one PT_LOAD mapping the file at {@link #BASE}, PT_INTERP,
     * PT_DYNAMIC with two DT_NEEDED and DT_STRTAB (a virtual address, as in real files).
     */
    static byte[] aarch64Executable(int machine) {
        return elf(machine, "/lib/ld-linux-aarch64.so.1", List.of("libc.so.6", "libz.so.1"));
    }

    /** An ELF file of {@code machine} with {@code interp} (null: none, as a shared library) and {@code needed}. */
    static byte[] elf(int machine, String interp, List<String> needed) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) (interp == null ? 3 : 2)).putShort(18, (short) machine).putInt(20, 1).putLong(32, 64)
                .putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 3);
        phdr(b, 64, 1, 0, BASE, 1024);     // PT_LOAD
        String i = interp == null ? "" : interp;
        phdr(b, 120, interp == null ? 6 : 3, 232, BASE + 232, i.length() + 1); // PT_INTERP (PT_PHDR when none)
        b.put(232, (i + "\0").getBytes(StandardCharsets.US_ASCII));
        StringBuilder strtab = new StringBuilder("\0");
        int dyn = 512;
        phdr(b, 176, 2, dyn, BASE + dyn, 16L * (needed.size() + 2)); // PT_DYNAMIC
        int o = dyn;
        for (String n : needed) {
            b.putLong(o, 1).putLong(o + 8, strtab.length()); // DT_NEEDED
            strtab.append(n).append('\0');
            o += 16;
        }
        b.putLong(o, 5).putLong(o + 8, BASE + 272);        // DT_STRTAB
        b.putLong(o + 16, 0).putLong(o + 24, 0);          // DT_NULL
        b.put(272, strtab.toString().getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static void phdr(ByteBuffer b, int at, int type, long offset, long vaddr, long size) {
        b.putInt(at, type).putLong(at + 8, offset).putLong(at + 16, vaddr).putLong(at + 32, size).putLong(at + 40, size);
    }

    @Test
    void readsMachineInterpreterAndNeededThroughTheLoadedSegment(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("java"), aarch64Executable(ElfFile.EM_AARCH64));
        assertThat(ElfFile.isElf(f)).isTrue();
        assertThat(ElfFile.read(f)).isEqualTo(new ElfFile(ElfFile.EM_AARCH64, Optional.of("/lib/ld-linux-aarch64.so.1"),
                List.of("libc.so.6", "libz.so.1")));
    }

    @Test
    void notElfThirtyTwoBitAndTruncatedFilesAreErrorsNamingTheFile(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("script"), "#!/bin/sh\necho this is no ELF file at all, but long enough to read a header from it\n");
        assertThat(ElfFile.isElf(text)).isFalse();
        assertThatThrownBy(() -> ElfFile.read(text)).hasMessage(text + ": not an ELF file");
        byte[] elf32 = aarch64Executable(ElfFile.EM_AARCH64);
        elf32[4] = 1;
        Path e32 = Files.write(dir.resolve("elf32"), elf32);
        assertThatThrownBy(() -> ElfFile.read(e32)).hasMessage(e32 + ": not a 64-bit little-endian ELF file (class 1, data 1)");
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(aarch64Executable(ElfFile.EM_AARCH64), 300));
        assertThatThrownBy(() -> ElfFile.read(cut)).hasMessageStartingWith(cut + ": truncated ELF file (offset 512");
    }

    /** The host's JDK, read as readelf reads it: the same DT_NEEDED names in the same order, the same interpreter. */
    @Test
    @Requires(Capability.READELF)
    void agreesWithReadelfOnTheHostJdk() throws IOException {
        Path home = Path.of(System.getProperty("java.home"));
        for (Path f : List.of(home.resolve("bin/java"), home.resolve("lib/server/libjvm.so"), home.resolve("lib/libnio.so"))) {
            ElfFile elf = ElfFile.read(f);
            assertThat(elf.machine()).isEqualTo(ElfFile.EM_X86_64);
            assertThat(elf.needed()).as(f.toString()).isEqualTo(readelfNeeded(f)).isNotEmpty();
        }
        assertThat(ElfFile.read(home.resolve("bin/java")).interpreter()).contains("/lib64/ld-linux-x86-64.so.2");
        assertThat(ElfFile.read(home.resolve("lib/server/libjvm.so")).interpreter()).isEmpty();
    }

    @Test
    @Requires(Capability.BUSYBOX)
    void aStaticExecutableNeedsNothing() throws IOException {
        ElfFile bb = ElfFile.read(GuestImage.DEFAULT_BUSYBOX);
        assertThat(bb.needed()).isEmpty();
        assertThat(bb.interpreter()).isEmpty();
    }

    private static List<String> readelfNeeded(Path f) throws IOException {
        ProcessRunner.Result r = ProcessRunner.run(List.of("readelf", "-d", f.toString()), Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.output()).isZero();
        Matcher m = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[([^]]+)]").matcher(r.stdout());
        return m.results().map(x -> x.group(1)).toList();
    }
}
