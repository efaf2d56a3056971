package dev.ringvm.testing;

import dev.ringvm.vm.Vm;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Child JVM for the orphan test: starts {@code sleep 600} the way ringvm starts QEMU ({@link Vm}, with a deadline
 * ten minutes out), prints "started PID" and waits for it, as a VM worker thread does, until it is killed.
 */
public final class VmHolderMain {
    private VmHolderMain() {}

    public static void main(String[] args) throws Exception {
        Path runDir = Files.createTempDirectory(Path.of(args[0]), "vm-");
        try (Vm vm = Vm.startCommand(List.of("sleep", "600"), Duration.ofMinutes(10), runDir, Map.of(),
                OutputStream.nullOutputStream(), e -> {})) {
            System.out.println("started " + vm.pid());
            System.out.flush();
            vm.await();
        }
    }
}
