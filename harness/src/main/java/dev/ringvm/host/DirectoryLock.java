package dev.ringvm.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one writer of a directory (a run directory): an exclusive file lock on {@code DIR/.ringvm-lock}, held from
 * {@link #acquire} to {@link #close()} (or until the process dies: the kernel drops the lock, so a killed run never
 * leaves a stale lock). The file holds who took it ({@code pid}, host, what, when) for the message a second writer
 * gets. A second acquire in the same JVM is refused too (a file lock is per process, so the JVM itself keeps the set
 * of directories it holds).
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".ringvm-lock";

    /** Another process (or this one) holds the directory; the message names the holder. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String holder;

        HeldException(Path dir, String holder) {
            super(dir + ": in use by another ringvm run (" + holder + ")");
            this.holder = holder;
        }

        /** Who holds it, as its lock file says: {@code pid 123 on host, ringvm run, since 2025-...}. */
        public String holder() { return holder; }
    }

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (which must exist) for this process, writing {@code what} (e.g. "ringvm run") with this
     * process's pid, host and the time into the lock file.
     */
    public static DirectoryLock acquire(Path dir, String what) throws IOException, HeldException {
        Path key = dir.toAbsolutePath().normalize();
        if (!HELD.add(key)) throw new HeldException(dir, holderOf(key).orElse("this process"));
        FileChannel ch = null;
        try {
            ch = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String holder = read(ch).orElse("a process that has not yet written its name");
                throw new HeldException(dir, holder);
            }
            String me = "pid " + ProcessHandle.current().pid() + " on " + hostName() + ", " + what + ", since "
                    + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            DirectoryLock held = new DirectoryLock(key, ch, l);
            ch = null;
            return held;
        } catch (IOException | HeldException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        } finally {
            if (ch != null) ch.close();
        }
    }

    /**
     * Who holds {@code dir} right now, if anyone: empty when nobody holds its lock (no lock file, or the process
     * that wrote it is gone).
     */
    public static Optional<String> holder(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        if (HELD.contains(key)) return Optional.of(holderOf(key).orElse("this process"));
        Path file = key.resolve(FILE);
        if (!Files.exists(file)) return Optional.empty();
        // a shared lock needs read access only: a reader of someone else's run directory can still ask
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe;
            try {
                probe = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                probe = null;
            }
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
            return Optional.of(read(ch).orElse("a process that has not yet written its name"));
        }
    }

    /** What the lock file of {@code dir} says (the last holder, alive or not). */
    public static Optional<String> lastHolder(Path dir) throws IOException {
        return holderOf(dir.toAbsolutePath().normalize());
    }

    private static Optional<String> holderOf(Path key) {
        try {
            Path f = key.resolve(FILE);
            if (!Files.isRegularFile(f)) return Optional.empty();
            String s = Files.readString(f, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512);
        ch.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String hostName() {
        try { // the kernel's name for the machine: no DNS look-up
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "this host";
        }
    }

    /** Releases the lock (the file stays, naming the last holder). Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } finally {
            HELD.remove(key);
        }
    }
}
