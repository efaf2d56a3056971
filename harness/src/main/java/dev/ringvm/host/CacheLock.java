package dev.ringvm.host;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive lock on a cache entry (a kernel, a build, a guest image, an apt suite, kernels.lock), across processes
 * (a file lock) and across threads of this JVM (a file lock is held per JVM, so a second thread would get
 * OverlappingFileLockException without the in-JVM lock). Re-entrant within one thread.
 */
public final class CacheLock {

    /** The locked work; may throw one checked exception type besides IOException. */
    public interface Body<T, E extends Exception> {
        T run() throws IOException, E;
    }

    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private CacheLock() {}

    public static <T, E extends Exception> T with(Path lockFile, Body<T, E> body) throws IOException, E {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try {
            if (local.getHoldCount() > 1) return body.run(); // this thread holds the file lock already
            Files.createDirectories(key.getParent());
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock _ = ch.lock()) {
                return body.run();
            }
        } finally {
            local.unlock();
        }
    }
}
