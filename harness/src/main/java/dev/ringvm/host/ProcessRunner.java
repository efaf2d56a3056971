package dev.ringvm.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** Runs one external command from an argv list (never a shell string) with a deadline, capturing output. */
public final class ProcessRunner {

    /** What a finished (or killed) process left: exit code, whether the deadline killed it, stdout, stderr. */
    public record Result(int exitCode, boolean timedOut, String stdout, String stderr) {
        public boolean ok() { return exitCode == 0 && !timedOut; }

        /**
         * The last {@code n} non-blank lines of stdout then stderr, joined with " | " for a one-line message;
         * apt's "E:" lines only, when there are any (they say why, the rest is progress).
         */
        public String tail(int n) {
            List<String> all = (stdout + "\n" + stderr).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
            List<String> errors = all.stream().filter(s -> s.startsWith("E: ")).toList();
            List<String> lines = errors.isEmpty() ? all : errors;
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }

        /** stdout then stderr, for tools whose two streams tell one story (jlink, ldd). */
        public String output() {
            return stdout + stderr;
        }
    }

    private ProcessRunner() {}

    /** {@link #run(List, Path, Duration)} in the current directory. */
    public static Result run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, Path.of("."), timeout);
    }

    public static Result run(List<String> argv, Path workDir, Duration timeout) throws IOException {
        CommandLine cmd = new CommandLine(argv.getFirst());
        for (String arg : argv.subList(1, argv.size())) {
            cmd.addArgument(arg, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(workDir)
                .setExecuteStreamHandler(new PumpStreamHandler(out, err))
                .get();
        executor.setWatchdog(watchdog);
        executor.setExitValues(null);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        env.put("DEBIAN_FRONTEND", "noninteractive");
        int code = executor.execute(cmd, env);
        return new Result(code, watchdog.killedProcess(),
                out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
