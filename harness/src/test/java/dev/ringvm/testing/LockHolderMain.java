package dev.ringvm.testing;

import dev.ringvm.host.DirectoryLock;

import java.nio.file.Path;

/** Child JVM for lock tests: locks the directory given, prints "locked PID", holds it until stdin closes. */
public final class LockHolderMain {
    private LockHolderMain() {}

    public static void main(String[] args) throws Exception {
        try (DirectoryLock _ = DirectoryLock.acquire(Path.of(args[0]), "ringvm run")) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our stdin or kills us
            }
        }
    }
}
