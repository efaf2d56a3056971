package dev.ringvm.guest;

import dev.ringvm.host.ProcessRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The host shared libraries an ELF file needs, from {@code ldd} output (the host's loader resolves them). */
final class Ldd {
    /** {@code libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)}, {@code libx.so => not found}. */
    private static final Pattern ARROW = Pattern.compile("^\\s+(\\S+)\\s+=>\\s+(.*?)(?:\\s+\\(0x[0-9a-fA-F]+\\))?\\s*$");
    /** {@code /lib64/ld-linux-x86-64.so.2 (0x...)} or {@code linux-vdso.so.1 (0x...)}. */
    private static final Pattern BARE = Pattern.compile("^\\s+(\\S+)(?:\\s+\\(0x[0-9a-fA-F]+\\))?\\s*$");

    /** One dependency line: {@code path} is null for the vDSO and for libraries ldd could not find. */
    record Dependency(String name, Path path, boolean notFound) {}

    private Ldd() {}

    /**
     * Parses ldd output for one or many files: header lines ({@code /path:}) and "not a dynamic executable"
     * or "statically linked" lines are skipped; the vDSO has no file and is returned with a null path.
     */
    static List<Dependency> parse(String output) {
        List<Dependency> deps = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank() || !Character.isWhitespace(line.charAt(0))) {
                continue; // "file:" header for multi-file output
            }
            String t = line.strip();
            if (t.equals("statically linked") || t.equals("not a dynamic executable")) {
                continue;
            }
            Matcher m = ARROW.matcher(line);
            if (m.matches()) {
                String target = m.group(2).strip();
                if (target.equals("not found")) {
                    deps.add(new Dependency(m.group(1), null, true));
                } else if (target.startsWith("/")) {
                    deps.add(new Dependency(m.group(1), Path.of(target).normalize(), false));
                } else {
                    deps.add(new Dependency(m.group(1), null, false)); // "=> (0x...)" vDSO form
                }
                continue;
            }
            m = BARE.matcher(line);
            if (m.matches()) {
                String name = m.group(1);
                deps.add(new Dependency(name, name.startsWith("/") ? Path.of(name).normalize() : null, false));
            }
        }
        return deps;
    }

    /**
     * Host libraries (absolute paths, first-seen order, no duplicates) that {@code files} need, excluding
     * those under {@code ownRoot} (the jlinked runtime brings its own). "not found" is fine for a library
     * the runtime holds itself (libjava.so needs libjvm.so, which the launcher has loaded by then from
     * lib/server), else an error.
     */
    static Set<Path> hostLibraries(Collection<Path> files, Path ownRoot) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("ldd");
        files.forEach(f -> argv.add(f.toString()));
        ProcessRunner.Result r = ProcessRunner.run(argv, Duration.ofSeconds(60));
        Set<Path> libs = new LinkedHashSet<>();
        Path own = ownRoot.toAbsolutePath().normalize();
        Set<String> ownNames;
        try (var s = java.nio.file.Files.walk(own)) {
            ownNames = s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
        for (Dependency d : parse(r.output())) {
            if (d.notFound() && ownNames.contains(d.name())) {
                continue;
            }
            if (d.notFound()) {
                throw new IOException("ldd: " + d.name() + " not found (needed by the jlinked runtime)");
            }
            if (d.path() != null && !d.path().startsWith(own)) {
                libs.add(d.path());
            }
        }
        return libs;
    }
}
