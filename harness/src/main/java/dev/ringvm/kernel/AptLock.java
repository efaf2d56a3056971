package dev.ringvm.kernel;

import dev.ringvm.host.CacheLock;

import java.io.IOException;
import java.nio.file.Files;

/**
 * One lock per suite, {@code <cache>/apt/<suite>.lock} (in-JVM and file lock): update, queries and downloads of a
 * suite run one at a time across threads and processes. Re-entrant within one thread.
 */
final class AptLock {
    /** Work done holding the lock. */
    interface Locked<T> {
        T run() throws IOException, AptException;
    }

    private final AptDirectory dirs;

    AptLock(AptDirectory dirs) {
        this.dirs = dirs;
    }

    <T> T with(String suite, Locked<T> body) throws AptException {
        try {
            Files.createDirectories(dirs.suiteDir(suite));
            return CacheLock.with(dirs.root().resolve(suite + ".lock"), body::run);
        } catch (IOException e) {
            throw new AptException("apt " + suite + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
