package dev.ringvm.guest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared libraries a set of ELF files needs, transitively, from a pool of library files (the arm64 libc6,
 * libgcc-s1, libstdc++6 and zlib1g packages, extracted): what {@code ldd} would list, found without running the
 * loader of another architecture.
 */
final class LibraryClosure {
    /** Reads the {@code DT_NEEDED} names of one file (an {@link ElfFile} read, or a table in tests). */
    @FunctionalInterface
    interface Needed {
        List<String> of(Path file) throws IOException;
    }

    private LibraryClosure() {}

    /**
     * Every library {@code roots} need, by file name (the name the loader looks up) to its file in {@code pool},
     * in first-needed order. A name in {@code provided} (the runtime's own libjvm.so, libjli.so: found through the
     * runtime's RPATH or already loaded) is not looked up; any other name missing from the pool is an error naming
     * it and the file that needs it.
     */
    static Map<String, Path> resolve(Collection<Path> roots, Map<String, Path> pool, Set<String> provided,
            Needed needed) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        Deque<Path> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Path file = todo.removeFirst();
            for (String name : needed.of(file)) {
                if (provided.contains(name) || out.containsKey(name)) continue;
                Path lib = pool.get(name);
                if (lib == null) {
                    throw new IOException("library " + name + " (needed by " + file + ") is in none of the guest's packages");
                }
                out.put(name, lib);
                todo.addLast(lib);
            }
        }
        return out;
    }
}
