package dev.ringvm.bisect;

import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A git history shaped like the kernel one BisectVmTest builds, with tiny files: {@code culprit} stands for the
 * reinstated 6.5 rule, {@code Kconfig} holding "broken" for a commit whose build fails, {@code doc*} for unrelated
 * changes. Tags name the commits: c0..c8 on main (c5 the culprit), r1..r3 a branch from c6 that reverts c6's
 * change and then the culprit (r2 the fix), x1..x3 a branch from c4 where the build breaks after the culprit.
 */
final class ToyHistory {
    final Path dir;
    final Map<String, String> sha = new LinkedHashMap<>();

    /** An existing repository, for its git commands. */
    ToyHistory(Path dir, boolean create) throws IOException {
        this.dir = dir;
        if (create) throw new IllegalArgumentException("use ToyHistory(Path)");
    }

    ToyHistory(Path dir) throws IOException {
        this.dir = dir;
        git("init", "-q", "-b", "main", ".");
        git("config", "user.email", "t@example.invalid");
        git("config", "user.name", "t");
        write("Kconfig", "ok");
        write("base", "linux");
        commit("c0", "base");
        for (int i = 1; i <= 4; i++) {
            write("doc" + i, "x");
            commit("c" + i, "docs: unrelated change " + i);
        }
        write("culprit", "6.5 rule");
        commit("c5", "io_uring: reinstate the 6.5 rule");
        for (int i = 6; i <= 8; i++) {
            write("doc" + i, "x");
            commit("c" + i, "docs: unrelated change " + i);
        }
        git("checkout", "-q", "-b", "fix", sha.get("c6"));
        git("rm", "-q", "doc6");
        commit("r1", "Revert \"docs: unrelated change 6\"");
        git("rm", "-q", "culprit");
        commit("r2", "Revert \"io_uring: reinstate the 6.5 rule\"");
        write("doc9", "x");
        commit("r3", "docs: unrelated change 9");
        git("checkout", "-q", "-b", "skip", sha.get("c4"));
        write("culprit", "6.5 rule");
        commit("x1", "io_uring: reinstate the 6.5 rule (skip branch)"); // a subject of its own: with c5's it could be c5 itself (same parent, tree, author and second)
        write("Kconfig", "broken");
        commit("x2", "kbuild: break the config");
        write("Kconfig", "ok");
        write("doc6", "x");
        commit("x3", "kbuild: fix the config; docs: unrelated change 6");
        git("checkout", "-q", "main");
    }

    private void write(String file, String content) throws IOException {
        Files.writeString(dir.resolve(file), content + "\n");
    }

    private void commit(String tag, String subject) throws IOException {
        git("add", "-A");
        git("commit", "-q", "-m", subject);
        git("tag", tag);
        sha.put(tag, git("rev-parse", "HEAD"));
    }

    String git(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
        argv.addAll(List.of(args));
        ProcessRunner.Result r = ProcessRunner.run(argv, Duration.ofMinutes(1));
        if (!r.ok()) throw new IOException(String.join(" ", argv) + ": " + r.output());
        return r.stdout().strip();
    }

    /** The tag of a full hash. */
    String tag(String commit) {
        return sha.entrySet().stream().filter(e -> e.getValue().equals(commit)).map(Map.Entry::getKey).findFirst()
                .orElse(commit);
    }
}
