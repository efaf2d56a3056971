package dev.ringvm.bisect;

import dev.ringvm.host.ProcessRunner;

import org.apache.commons.io.FileUtils;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * git's own bisection over a clone of the user's tree: {@code git clone --shared} (objects borrowed, nothing written
 * to the user's repository, its work tree and HEAD untouched), {@code git bisect start}, then {@code git bisect run}
 * with a step command that asks this process for each commit's answer ({@link StepServer}). With {@code fix} git's
 * terms are {@code broken}/{@code fixed}, so it names the first fixed commit.
 */
final class GitBisect {
    private static final Pattern FIRST = Pattern.compile("^([0-9a-f]{40,64}) is the first (bad|fixed) commit");
    private static final Pattern ANY_OF = Pattern.compile("^The first (bad|fixed) commit could be any of:");
    private static final Pattern SHA = Pattern.compile("^[0-9a-f]{40,64}$");

    /** What git concluded: one commit, or the candidates it could not tell apart (skipped steps). */
    record Conclusion(String first, List<String> candidates) {
        Conclusion {
            candidates = List.copyOf(candidates);
        }
    }

    /** Judges the commit checked out in the clone; the answer's exit code goes to git. */
    @FunctionalInterface
    interface Step {
        Answer judge(String commit) throws IOException, InterruptedException;
    }

    private final Git clone;
    private final boolean fix;
    private final Consumer<String> log;

    private GitBisect(Git clone, boolean fix, Consumer<String> log) {
        this.clone = clone;
        this.fix = fix;
        this.log = log;
    }

    /** A fresh shared clone of {@code userTree} at {@code dir} (an old one there is removed first). */
    static GitBisect cloneOf(Path userTree, Path dir, boolean fix, Consumer<String> log) throws IOException {
        FileUtils.deleteDirectory(dir.toFile());
        Files.createDirectories(dir.getParent());
        ProcessRunner.Result r = ProcessRunner.run(List.of("git", "clone", "--quiet", "--shared", "--no-checkout",
                userTree.toAbsolutePath().toString(), dir.toString()), Duration.ofMinutes(20));
        if (!r.ok()) throw new IOException("git clone --shared " + userTree + " failed: " + r.tail(1).strip());
        return new GitBisect(new Git(dir), fix, log);
    }

    Git git() {
        return clone;
    }

    /**
     * Bisects from {@code bad} (in a fix bisect: the broken ancestor) to {@code good}, answering every step with
     * {@code step}; git's whole output goes to {@code transcript}.
     */
    Conclusion run(String good, String bad, Step step, Path transcript) throws IOException, InterruptedException {
        List<String> start = new ArrayList<>(List.of("bisect", "start"));
        if (fix) start.addAll(List.of("--term-old=broken", "--term-new=fixed", good, bad));
        else start.addAll(List.of(bad, good));
        append(transcript, "$ git " + String.join(" ", start) + "\n" + clone.run(start.toArray(String[]::new)) + "\n");
        Path script = transcript.resolveSibling("bisect-step.sh");
        List<String> output = new ArrayList<>();
        try (StepServer server = new StepServer()) {
            Files.writeString(script, server.script());
            List<String> argv = clone.argv("bisect", "run", "bash", script.toString());
            append(transcript, "$ " + String.join(" ", argv.subList(3, argv.size())) + "\n");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            Thread reader = Thread.ofPlatform().name("git-bisect-output").start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (output) {
                            output.add(line);
                        }
                        append(transcript, line + "\n");
                        if (line.startsWith("Bisecting:") || FIRST.matcher(line).find()) log.accept("git: " + line);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                server.serve(p, commit -> step.judge(commit).exitCode(fix));
                p.waitFor();
            } finally {
                if (p.isAlive()) ProcessRunner.killTree(p);
                reader.join(Duration.ofSeconds(10));
            }
        }
        synchronized (output) {
            return conclusion(output);
        }
    }

    /** Reads {@code git bisect run}'s verdict lines. Pure; unit tested. */
    static Conclusion conclusion(List<String> output) {
        for (int i = 0; i < output.size(); i++) {
            Matcher m = FIRST.matcher(output.get(i));
            if (m.find()) return new Conclusion(m.group(1), List.of());
            if (ANY_OF.matcher(output.get(i)).find()) {
                List<String> any = new ArrayList<>();
                for (int j = i + 1; j < output.size() && SHA.matcher(output.get(j).strip()).matches(); j++) {
                    any.add(output.get(j).strip());
                }
                return new Conclusion(null, any);
            }
        }
        return new Conclusion(null, List.of());
    }

    /** Checks out {@code commit} in the clone after the bisect (to judge a commit git did not need to). */
    void checkout(String commit) throws IOException {
        clone.run("bisect", "reset", "HEAD");
        clone.run("checkout", "--quiet", "--detach", commit);
    }

    /** {@code git bisect log} of the clone (empty when no bisect is in progress). */
    String bisectLog() {
        try {
            return clone.run("bisect", "log");
        } catch (IOException e) {
            return "";
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
