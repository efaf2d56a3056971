package dev.ringvm.cli;

import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.DebArchive;
import dev.ringvm.kernel.PackageRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A small git history over Debian's linux-source-6.12 for the bisect VM test, shaped so that every step's build is
 * one of three trees (and so each tree is built once, with ccache warm from the other kernels of the test run):
 * <pre>
 *   main: c0 base, c1..c4 docs, c5 reinstates the 6.5 rule (repro-6.5 patch), c6..c8 docs
 *   fix:  from c6: r1 reverts c6 (tree of c5), r2 reverts c5 (tree of c4), r3 docs
 *   skip: from c4: x1 the 6.5 rule (tree of c5), x2 breaks init/Kconfig (make tinyconfig fails),
 *         x3 repairs it and adds c6's doc (tree of c6)
 * </pre>
 * "docs" commits add files under Documentation/, which no build reads; their trees still differ, so the build cache
 * (keyed by tree content) cannot confuse them. The trees are the same every time (the commits are not: their dates differ), so the builds stay cached across runs.
 */
final class KernelHistory {
    final Path dir;
    final Map<String, String> sha = new LinkedHashMap<>();

    private KernelHistory(Path dir) {
        this.dir = dir;
    }

    static KernelHistory create(Path dir, Path repo) throws Exception {
        Path cache = CacheDirs.root();
        AptRepo apt = new AptRepo(cache, System.err::println);
        PackageRef ref = apt.newest("trixie", "linux-source-6.12");
        Path deb = apt.download("trixie", ref, cache.resolve("builds/debs"));
        Path scratch = Files.createDirectories(dir.resolve("deb"));
        List<Path> tarballs = DebArchive.extract(deb, n -> n.matches("(\\./)?usr/src/linux-source-[^/]*\\.tar\\.xz"), scratch);
        Path unpacked = Files.createDirectories(dir.resolve("src"));
        run(List.of("tar", "-xJf", tarballs.getFirst().toString(), "-C", unpacked.toString()), unpacked);
        Files.delete(tarballs.getFirst());
        Path tree;
        try (Stream<Path> s = Files.list(unpacked)) {
            tree = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        KernelHistory h = new KernelHistory(tree);
        h.git("init", "-q", "-b", "main", ".");
        h.git("config", "user.email", "bisect@ringvm.invalid");
        h.git("config", "user.name", "ringvm test");
        h.git("config", "core.looseCompression", "1");
        h.git("config", "gc.auto", "0"); // 80,000 loose objects would start a background repack of 1.7 GB
        h.commit("c0", "Linux 6.12 (Debian linux-source-6.12)");
        for (int i = 1; i <= 4; i++) h.doc(i);
        h.patch(repo.resolve("vm-images/patches/repro-6.5-nommap-efault.patch"));
        h.commit("c5", "io_uring: reinstate the 6.5 NO_MMAP rule (first pinned page must be the last)");
        for (int i = 6; i <= 8; i++) h.doc(i);
        h.git("checkout", "-q", "-b", "fix", h.sha.get("c6"));
        h.git("revert", "--no-edit", h.sha.get("c6"));
        h.tag("r1");
        h.git("revert", "--no-edit", h.sha.get("c5"));
        h.tag("r2");
        h.doc(9, "r3");
        h.git("checkout", "-q", "-b", "skip", h.sha.get("c4"));
        h.git("cherry-pick", h.sha.get("c5"));
        h.tag("x1");
        Path kconfig = tree.resolve("init/Kconfig");
        String good = Files.readString(kconfig);
        Files.writeString(kconfig, good + "\nconfig RINGVM_BROKEN\n\tbool \"broken\"\n\tdepends on (\n");
        h.commit("x2", "kbuild: a Kconfig syntax error");
        Files.writeString(kconfig, good);
        h.writeDoc(6);
        h.commit("x3", "kbuild: repair init/Kconfig; docs: note 6");
        h.git("checkout", "-q", "main");
        return h;
    }

    private void doc(int i) throws IOException {
        doc(i, "c" + i);
    }

    private void doc(int i, String tag) throws IOException {
        writeDoc(i);
        commit(tag, "docs: ringvm bisect note " + i);
    }

    private void writeDoc(int i) throws IOException {
        Files.writeString(dir.resolve("Documentation/ringvm-bisect-note-" + i + ".txt"), "An unrelated change (" + i + ").\n");
    }

    private void patch(Path p) throws IOException {
        run(List.of("patch", "-p1", "--forward", "--batch", "-i", p.toString()), dir);
    }

    private void commit(String tag, String subject) throws IOException {
        git("add", "-A", "-f"); // Debian's top-level .gitignore ignores everything but debian/
        git("commit", "-q", "-m", subject);
        tag(tag);
    }

    private void tag(String tag) throws IOException {
        git("tag", tag);
        sha.put(tag, git("rev-parse", "HEAD"));
    }

    String git(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
        argv.addAll(List.of(args));
        return run(argv, dir);
    }

    private static String run(List<String> argv, Path cwd) throws IOException {
        ProcessRunner.Result r = ProcessRunner.run(argv, cwd, Duration.ofMinutes(20));
        if (!r.ok()) throw new IOException(String.join(" ", argv) + ": " + r.tail(5));
        return r.stdout().strip();
    }
}
