package dev.ringvm.kernel.build;

import dev.ringvm.config.Arch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The argv of each build step; pure functions (no shell strings), unit-tested without running anything. */
final class BuildSteps {

    /** Base configurations {@code make} knows by name; anything else is a config file path. */
    static final List<String> NAMED_BASES = List.of("tinyconfig", "defconfig", "defaultconfig", "allnoconfig");

    private BuildSteps() {}

    /** Unpacks the kernel source tarball into {@code dest} (GNU tar with xz: 11 s against ~30 s in Java). */
    static List<String> untar(Path tarball, Path dest) {
        return List.of("tar", "-xJf", tarball.toString(), "-C", dest.toString());
    }

    /** Copies a user's tree (never built in place, so it is never modified). */
    static List<String> copyTree(Path tree, Path dest) {
        return List.of("cp", "-a", "--reflink=auto", tree.toString() + "/.", dest.toString());
    }

    /** Applies one patch; --forward so an already applied patch fails instead of being reversed. */
    static List<String> patch(Path patchFile) {
        return List.of("patch", "-p1", "--forward", "--batch", "-i", patchFile.toString());
    }

    /** {@code make <target>} for a named base; null when the base is a config file (copied, then olddefconfig). */
    static List<String> baseConfig(String base) {
        String b = base.toLowerCase(Locale.ROOT);
        return switch (b) {
            case "tinyconfig", "allnoconfig" -> List.of("make", b);
            case "defconfig", "defaultconfig" -> List.of("make", "defconfig");
            default -> null;
        };
    }

    static boolean isNamedBase(String base) {
        return NAMED_BASES.contains(base.toLowerCase(Locale.ROOT));
    }

    /** Merges fragments into .config without running make (-m); olddefconfig resolves dependencies after. */
    static List<String> mergeFragments(List<Path> fragments) {
        List<String> argv = new ArrayList<>(List.of("scripts/kconfig/merge_config.sh", "-m", ".config"));
        fragments.forEach(f -> argv.add(f.toString()));
        return List.copyOf(argv);
    }

    static List<String> olddefconfig() {
        return List.of("make", "olddefconfig");
    }

    /** {@code make -jN [CC=ccache gcc] bzImage}. */
    static List<String> bzImage(int jobs, boolean ccache) {
        return image(jobs, ccache, Arch.X86_64);
    }

    /**
     * {@code make -jN [CC=ccache gcc] bzImage} on x86-64; for arm64 a cross build with Debian's
     * gcc-aarch64-linux-gnu: {@code make -jN ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- [CC=ccache
     * aarch64-linux-gnu-gcc] Image}.
     */
    static List<String> image(int jobs, boolean ccache, Arch arch) {
        List<String> argv = new ArrayList<>(List.of("make", "-j" + Math.max(1, jobs)));
        argv.addAll(cross(arch));
        if (ccache) argv.add("CC=ccache " + compiler(arch));
        argv.add(target(arch));
        return List.copyOf(argv);
    }

    /** The make variables of a cross build: none on x86-64 (the host), {@code ARCH= CROSS_COMPILE=} otherwise. */
    static List<String> cross(Arch arch) {
        return switch (arch) {
            case X86_64 -> List.of();
            case ARM64 -> List.of("ARCH=arm64", "CROSS_COMPILE=" + CROSS_ARM64);
        };
    }

    /** Debian's cross compiler prefix for arm64 (package gcc-aarch64-linux-gnu). */
    static final String CROSS_ARM64 = "aarch64-linux-gnu-";

    /** The C compiler of a build for {@code arch}. */
    static String compiler(Arch arch) {
        return switch (arch) {
            case X86_64 -> "gcc";
            case ARM64 -> CROSS_ARM64 + "gcc";
        };
    }

    /** The make target that builds the boot image. */
    static String target(Arch arch) {
        return switch (arch) {
            case X86_64 -> "bzImage";
            case ARM64 -> "Image";
        };
    }

    /** Where kbuild leaves the image on x86. */
    static Path image(Path src) {
        return image(src, Arch.X86_64);
    }

    /** Where kbuild leaves the boot image of {@code arch}. */
    static Path image(Path src, Arch arch) {
        return switch (arch) {
            case X86_64 -> src.resolve("arch/x86/boot/bzImage");
            case ARM64 -> src.resolve("arch/arm64/boot/Image");
        };
    }

    /** {@code argv} (a make command) with the cross-build variables of {@code arch} after {@code make}. */
    static List<String> forArch(List<String> argv, Arch arch) {
        if (argv == null || cross(arch).isEmpty() || argv.isEmpty() || !argv.getFirst().equals("make")) return argv;
        List<String> out = new ArrayList<>(argv.subList(0, 1));
        out.addAll(cross(arch));
        out.addAll(argv.subList(1, argv.size()));
        return List.copyOf(out);
    }

    /** A kbuild progress line for one compiled C file ({@code "  CC      kernel/fork.o"}). */
    static boolean isCompileLine(String line) {
        return line.startsWith("  CC ");
    }

    /**
     * How strongly a line says why a step failed: 2 for a compiler or patch error (names the file and line),
     * 1 for make's own "***" summary, 0 otherwise. The failure message quotes the last line of the highest rank.
     */
    static int errorRank(String line) {
        String l = line.strip();
        if (l.contains("error:") || l.startsWith("Hunk #") && l.contains("FAILED") || l.startsWith("patch: ****")
                || l.contains("Reversed (or previously applied) patch detected")
                || l.matches("\\S+:\\d+: syntax error.*")) { // Kconfig: "init/Kconfig:2034: syntax error"
            return 2;
        }
        if (l.startsWith("make") && l.contains("***")) return 1;
        return 0;
    }

    static boolean isErrorLine(String line) {
        return errorRank(line) > 0;
    }
}
