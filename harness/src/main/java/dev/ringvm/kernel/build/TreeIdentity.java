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
 * What a local kernel tree "is" for the cache key: the git HEAD plus a hash of {@code git status --porcelain}
 * (so a dirty tree is not mistaken for its commit), or, outside git, a hash of every file's path, size and mtime.
 */
final class TreeIdentity {
    private TreeIdentity() {}

    static String of(Path tree) throws IOException {
        if (Files.exists(tree.resolve(".git"))) {
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
