package dev.ringvm.cli;

import dev.ringvm.config.ConfigException;
import dev.ringvm.host.DirectoryLock;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run directory for one writer: created (a file, a device such as /dev/null, or a place that cannot be written
 * is the user's error: exit 2, one line) and locked ({@link DirectoryLock}) for as long as the command runs, so a
 * second run (or a {@code report} or {@code merge}) on it is refused with the run that holds it.
 */
final class RunDirs {
    private RunDirs() {}

    /** Creates {@code dir} if needed and locks it for {@code what}; the lock is released when the JVM exits. */
    static DirectoryLock claim(String option, Path dir, String what) throws ConfigException, InfraException {
        String name = option.isEmpty() ? dir.toString() : option + " " + dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException(name + ": not a directory (" + (Files.isRegularFile(dir) ? "a file" : "a device or special file") + ")");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            if (noSpace(e)) throw new InfraException(name + ": disk full: " + reason(e), e);
            throw new ConfigException(name + ": cannot create the directory: " + reason(e));
        }
        try {
            return DirectoryLock.acquire(dir, what);
        } catch (DirectoryLock.HeldException e) {
            throw new ConfigException(name + ": in use by another ringvm run (" + e.holder() + "); wait for it to"
                    + " end or choose another directory");
        } catch (IOException e) {
            throw unwritable(name, e);
        }
    }

    /** A place that cannot be written is the user's error (exit 2); a full disk is the machine's (exit 3). */
    private static ConfigException unwritable(String name, IOException e) throws InfraException {
        if (noSpace(e)) throw new InfraException(name + ": disk full: " + reason(e), e);
        return new ConfigException(name + ": cannot write there: " + reason(e));
    }

    static boolean noSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) return true;
        }
        return false;
    }

    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
