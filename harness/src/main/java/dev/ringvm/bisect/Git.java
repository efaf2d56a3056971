package dev.ringvm.bisect;

import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** git in one directory, argv lists only; a failing command throws with git's own last line. */
final class Git {
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    private final Path dir;

    Git(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** {@code git -C dir ARGS}: stdout, stripped; IOException with git's message when it fails. */
    String run(String... args) throws IOException {
        ProcessRunner.Result r = ProcessRunner.run(argv(args), TIMEOUT);
        if (!r.ok()) {
            throw new IOException("git " + String.join(" ", args) + " in " + dir + " failed: "
                    + (r.timedOut() ? "timed out" : r.tail(1).strip()));
        }
        return r.stdout().strip();
    }

    List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    String subject(String commit) throws IOException {
        return run("log", "-1", "--format=%s", commit);
    }

    String tree(String commit) throws IOException {
        return run("rev-parse", commit + "^{tree}");
    }
}
