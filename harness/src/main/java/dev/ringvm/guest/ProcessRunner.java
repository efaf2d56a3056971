package dev.ringvm.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short host tool (jlink, ldd) from an argv list with a deadline; output goes to a temp file. */
final class ProcessRunner {
    record Result(int exitCode, String output) {}

    private ProcessRunner() {}

    static Result run(List<String> argv, Duration timeout) throws IOException {
        Path out = Files.createTempFile("ringvm-exec", ".out");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + argv.getFirst(), e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException(argv.getFirst() + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
