package dev.ringvm.bisect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ringvm.config.ConfigException;
import dev.ringvm.host.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code bisect.json} in the bisect's directory: what is bisected and every step judged so far, rewritten atomically
 * after each step. {@code ringvm bisect --resume DIR} reads it back and answers every recorded commit or kernel from
 * it, so an interrupted bisect continues where it stopped without building or booting again.
 *
 * @param git     the git bisect's request, null for a bisect over kernels
 * @param kernels the kernels bisect's request, null for a git bisect
 * @param steps   judged commits or kernels, in the order they were judged
 * @param result  the conclusion, null until the bisect ended
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BisectState(int format, GitRequest git, KernelsRequest kernels, Options options, List<StepResult> steps,
                          Conclusion result) {
    static final int FORMAT = 1;
    static final String FILE = "bisect.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public BisectState {
        steps = List.copyOf(steps == null ? List.of() : steps);
    }

    /**
     * A bisect over a git tree.
     *
     * @param goodRef, badRef what the user typed; good and bad their full hashes (in a fix bisect bad is the
     *                 broken ancestor and good the fixed descendant)
     */
    public record GitRequest(String tree, String goodRef, String badRef, String good, String bad, boolean fix,
                             String config, List<String> fragments, List<String> patches) {
        public GitRequest {
            fragments = List.copyOf(fragments);
            patches = List.copyOf(patches);
        }
    }

    /** A bisect over the kernels of {@code file}. */
    public record KernelsRequest(String file) {}

    /** How each step boots (memory sizes in MiB, repeats, the case filter, limits). */
    public record Options(List<Integer> memoryMiB, int repeat, String only, String grid, long timeoutSeconds,
                          String accel, String qemu) {
        public Options {
            memoryMiB = List.copyOf(memoryMiB);
        }
    }

    /**
     * How a bisect ended.
     *
     * @param kind       found one, several candidates left by skipped steps, an endpoint that is not what the user
     *                   said, or no change at all over the list
     * @param first      the first bad (fixed, changed) commit or kernel, null when it could not be named
     * @param parent     the commit or kernel before it, judged for the diff
     * @param candidates when skipped steps left several, all of them
     * @param message    one line for a person
     */
    public record Conclusion(Kind kind, String first, String parent, List<String> candidates, String message) {
        public Conclusion {
            candidates = List.copyOf(candidates == null ? List.of() : candidates);
        }
    }

    /** How a bisect ended; the exit code follows from it. */
    public enum Kind { FOUND, UNDECIDED, WRONG_ENDPOINT, NO_CHANGE }

    public static BisectState start(GitRequest git, KernelsRequest kernels, Options options) {
        return new BisectState(FORMAT, git, kernels, options, List.of(), null);
    }

    BisectState with(StepResult step) {
        List<StepResult> s = new ArrayList<>(steps);
        s.removeIf(o -> o.name().equals(step.name()));
        s.add(step);
        return new BisectState(format, git, kernels, options, s, result);
    }

    BisectState concluded(Conclusion c) {
        return new BisectState(format, git, kernels, options, steps, c);
    }

    Optional<StepResult> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
    }

    /** The state of a bisect directory; a usage error names the file when there is none or it is unreadable. */
    public static BisectState read(Path dir) throws ConfigException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) throw new ConfigException("--resume: no " + FILE + " in " + dir);
        try {
            BisectState s = JSON.readValue(f.toFile(), BisectState.class);
            if (s.format() != FORMAT || (s.git() == null) == (s.kernels() == null) || s.options() == null) {
                throw new ConfigException("--resume: " + f + " is not a ringvm bisect state (format " + s.format() + ")");
            }
            return s;
        } catch (IOException e) {
            throw new ConfigException("--resume: cannot read " + f + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
