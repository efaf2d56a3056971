package dev.ringvm.guest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive lock on a cache entry, across processes (a file lock) and across threads of this JVM (a file
 * lock is per JVM, so a second thread would get OverlappingFileLockException without the in-JVM lock).
 */
final class CacheLock {
    interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private CacheLock() {}

    static <T> T with(Path lockFile, IoSupplier<T> body) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(key.getParent());
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                return body.get();
            }
        } finally {
            local.unlock();
        }
    }
}
