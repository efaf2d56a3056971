package dev.ringvm.progress;

import dev.ringvm.host.ProcessRunner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Which progress view stderr gets, and how big the terminal is.
 *
 * <p>Java cannot ask isatty(2): {@code System.console()} and {@code Console.isTerminal()} describe stdin and stdout,
 * which is the wrong question for {@code ringvm run > matrix.txt} (stderr on a terminal) and for
 * {@code ringvm run 2> log} (stdout on a terminal). So {@code auto} reads where this process's file descriptor 2
 * points ({@code /proc/self/fd/2}, Linux, which ringvm requires anyway): a terminal device ({@code /dev/pts/N},
 * {@code /dev/ttyN}, {@code /dev/console}) with {@code TERM} set and not {@code dumb} gets the live view; a pipe, a
 * file, or an unreadable link gets plain lines.
 */
public final class Terminal {
    private Terminal() {}

    public enum Mode { TTY, PLAIN }

    /** {@code --progress}: auto (decided by {@link #choose}), or one mode forced. */
    public enum Choice { AUTO, TTY, PLAIN }

    /** Terminal columns and rows ({@link #size}). */
    public record Size(int columns, int rows) {}

    /**
     * @param option    {@code --progress}
     * @param fd2Target where file descriptor 2 points, null when unknown
     */
    public static Mode choose(Choice option, Map<String, String> env, String fd2Target) {
        return switch (option) {
            case TTY -> Mode.TTY;
            case PLAIN -> Mode.PLAIN;
            case AUTO -> {
                String term = env.get("TERM");
                boolean capable = term != null && !term.isBlank() && !term.equals("dumb");
                yield capable && isTerminalDevice(fd2Target) ? Mode.TTY : Mode.PLAIN;
            }
        };
    }

    /** {@link #choose} for this process: its environment and its stderr. */
    public static Mode choose(Choice option) {
        return choose(option, System.getenv(), stderrTarget());
    }

    static boolean isTerminalDevice(String target) {
        if (target == null) return false;
        return target.startsWith("/dev/pts/") || target.matches("/dev/tty[0-9A-Za-z]*") || target.equals("/dev/console");
    }

    private static String stderrTarget() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * The terminal's size: {@code COLUMNS} and {@code LINES} when exported (shells set but rarely export them),
     * else {@code stty size} on the controlling terminal, else 80 x 24. Read once: a resize during the run is not
     * followed (the region is clipped, not wrapped, so a narrower terminal stays readable).
     */
    public static Size size(Map<String, String> env) {
        int columns = positive(env.get("COLUMNS"), 0);
        int rows = positive(env.get("LINES"), 0);
        if (columns == 0 || rows == 0) {
            Size asked = stty();
            if (columns == 0) columns = asked != null ? asked.columns() : 80;
            if (rows == 0) rows = asked != null ? asked.rows() : 24;
        }
        return new Size(columns, rows);
    }

    /** {@code stty -F /dev/tty size} ("rows columns"); null when there is no terminal or it reports 0 x 0. */
    private static Size stty() {
        if (!new File("/dev/tty").canRead()) return null;
        try {
            ProcessRunner.Result r = ProcessRunner.run(List.of("stty", "-F", "/dev/tty", "size"), Duration.ofSeconds(1));
            String[] parts = r.stdout().trim().split("\\s+");
            if (!r.ok() || parts.length != 2) return null;
            int rows = Integer.parseInt(parts[0]);
            int columns = Integer.parseInt(parts[1]);
            return rows > 0 && columns > 0 ? new Size(columns, rows) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static int positive(String value, int fallback) {
        try {
            int v = Integer.parseInt(value == null ? "" : value.trim());
            return v > 0 ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
