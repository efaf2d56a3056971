package dev.ringvm.kernel.build;

import dev.ringvm.host.ProcessRunner;
import dev.ringvm.host.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a local kernel tree "is" for the cache key. A clean git checkout (nothing modified, untracked or ignored:
 * no objects of an earlier build either) is its content, {@code git-tree <tree hash>}, wherever it lies, so a
 * bisect's checkouts share builds with every earlier checkout of the same tree. Any other git tree is its HEAD plus
 * a hash of {@code git status --porcelain} (so a dirty tree is not mistaken for its commit); outside git, a hash of
 * every file's path, size and mtime. Only a {@link #contentOnly} identity leaves the tree's path out of the key.
 */
final class TreeIdentity {
    private static final String CONTENT = "git-tree ";

    private TreeIdentity() {}

    /** True when {@code identity} names content only (a clean checkout's tree hash), not a path's state. */
    static boolean contentOnly(String identity) {
        return identity.startsWith(CONTENT);
    }

    static String of(Path tree) throws IOException {
        if (Files.exists(tree.resolve(".git"))) {
            ProcessRunner.Result clean = ProcessRunner.run(List.of("git", "-C", tree.toString(), "status",
                    "--porcelain", "--ignored", "--untracked-files=all"), Duration.ofMinutes(5));
            ProcessRunner.Result treeHash = ProcessRunner.run(List.of("git", "-C", tree.toString(), "rev-parse",
                    "HEAD^{tree}"), Duration.ofMinutes(1));
            if (clean.ok() && treeHash.ok() && clean.stdout().isBlank()) {
                return CONTENT + treeHash.stdout().strip();
            }
            ProcessRunner.Result head = ProcessRunner.run(List.of("git", "-C", tree.toString(), "rev-parse", "HEAD"), Duration.ofMinutes(1));
            ProcessRunner.Result status = ProcessRunner.run(List.of("git", "-C", tree.toString(), "status", "--porcelain"), Duration.ofMinutes(5));
            if (head.ok() && status.ok()) {
                return "git " + head.stdout().strip() + " status " + Sha256.hex(status.stdout());
            }
        }
        StringBuilder listing = new StringBuilder();
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                listing.append(tree.relativize(p)).append(' ').append(Files.size(p)).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            }
        }
        return "mtimes " + Sha256.hex(listing.toString());
    }

}
