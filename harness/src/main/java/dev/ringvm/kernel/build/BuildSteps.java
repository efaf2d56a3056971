package dev.ringvm.kernel.build;

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
        List<String> argv = new ArrayList<>(List.of("make", "-j" + Math.max(1, jobs)));
        if (ccache) argv.add("CC=ccache gcc");
        argv.add("bzImage");
        return List.copyOf(argv);
    }

    /** Where kbuild leaves the image on x86. */
    static Path image(Path src) {
        return src.resolve("arch/x86/boot/bzImage");
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
