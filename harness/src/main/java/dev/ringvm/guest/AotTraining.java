package dev.ringvm.guest;

import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds a JDK 25 AOT cache (JEP 483/514) for the guest JVM by running the probe once on the host with the
 * jlinked runtime that goes into the image, so the guest maps the probe's classes already loaded and linked
 * instead of loading, verifying and linking them under TCG.
 *
 * <p>The JVM accepts the cache only when the class path jar has the same size and modification time as at
 * training and the JVM options that matter (GC, heap, compressed oops) agree. The jar is therefore trained
 * from a copy whose mtime is the epoch, which is what {@link CpioWriter} gives every file in the image, and
 * with {@link GuestImage#GUEST_JVM_OPTIONS}, the options the guest's {@code java.args} carries. The jar's
 * directory may differ (host temp dir vs /probe): the JVM checks the jar's identity, not its path.
 *
 * <p>The training run executes the default grid against the host kernel, as {@code host: true} does; what
 * the host kernel answers does not matter, only which classes the run loads. If training fails the image is
 * built without a cache and the guest falls back to the runtime's CDS archive.
 */
final class AotTraining {
    /** Where the cache lives in the image; the guest's java.args names it. */
    static final String GUEST_PATH = "probe/probe.aot";
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private AotTraining() {}

    /** The training command line: the guest's options plus the output file, the jar copy, a harmless run. */
    static List<String> argv(Path java, List<String> jvmOptions, Path aotOut, Path jar) {
        List<String> a = new ArrayList<>();
        a.add(java.toString());
        a.addAll(jvmOptions);
        a.add("-XX:AOTCacheOutput=" + aotOut);
        a.addAll(List.of("-jar", jar.toString(), "--out", "/dev/null", "--nonce", "aot-training", "--grid", "default"));
        return a;
    }

    /**
     * Trains in {@code workDir} (created; the caller deletes it) and returns the cache file, or empty (with an
     * event saying why) when the training run failed.
     */
    static Optional<Path> train(Path runtime, Path probeJar, List<String> jvmOptions, Path workDir,
            Consumer<String> events) throws IOException {
        Path jar = workDir.resolve(GuestImage.PROBE_PATH);
        Files.createDirectories(jar.getParent());
        Files.copy(probeJar, jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0)); // as in the cpio
        Path out = workDir.resolve("probe.aot");
        // absolute: the training runs in its own directory, where a relative runtime path (a relative cache) names nothing
        List<String> argv = argv(runtime.resolve("bin").resolve("java").toAbsolutePath(), jvmOptions, out, jar);
        long t0 = System.nanoTime();
        ProcessRunner.Result r = ProcessRunner.run(argv, workDir, TIMEOUT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!r.ok() || !Files.isRegularFile(out)) {
            events.accept("AOT cache not built (training " + (r.timedOut() ? "timed out" : "exited " + r.exitCode())
                    + ": " + lastLine(r.output()) + "); the guest JVM uses the runtime's CDS archive");
            return Optional.empty();
        }
        events.accept("AOT cache trained on the host in " + ms + " ms (" + Files.size(out) + " bytes)");
        return Optional.of(out);
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\\R");
        return lines.length == 0 || lines[lines.length - 1].isBlank() ? "no output" : lines[lines.length - 1].strip();
    }
}
