package dev.ringvm.run;

import dev.ringvm.host.Sha256;
import dev.ringvm.model.Shard;
import dev.ringvm.model.VmJob;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which kernel x memory cells a {@code --shard I/N} run covers. The rule: sort every cell of the matrix by
 * kernel id, then memory (a host kernel's single cell sorts as memory 0), and deal them out round-robin:
 * the i-th cell (0-based) belongs to shard {@code i mod N + 1}. All repeats of a cell stay with it. The
 * assignment depends only on kernels.yaml and {@code --memory}, never on what resolved, so every shard job
 * computes the same split; a kernel's memory sizes land in different shards, so an unavailable kernel or a
 * host cell shifts each shard's load by at most one cell.
 */
public final class Shards {
    private static final Pattern CELL = Pattern.compile("(.+)-(?:(\\d+)M|host)");

    private Shards() {}


    /** Cell name -> shard number (1-based) for every cell of {@code cells} (names as {@link VmJob#cell()}). */
    public static Map<String, Integer> assign(List<String> cells, int count) {
        List<String> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparing(Shards::kernelOf).thenComparingInt(Shards::memoryOf).thenComparing(c -> c));
        Map<String, Integer> owner = new LinkedHashMap<>();
        for (int i = 0; i < sorted.size(); i++) owner.put(sorted.get(i), i % count + 1);
        return owner;
    }

    /** The cells of {@code cells} that shard {@code s} covers, in the order given. */
    public static List<String> cellsOf(List<String> cells, Shard s) {
        Map<String, Integer> owner = assign(cells, s.count());
        return cells.stream().filter(c -> owner.get(c) == s.index()).toList();
    }

    /** A short, stable fingerprint of a matrix description (one line per kernel, memory sizes, repeats). */
    public static String fingerprint(List<String> description) {
        StringBuilder text = new StringBuilder();
        for (String line : description) text.append(line).append('\n');
        return Sha256.hex(text.toString()).substring(0, 16);
    }

    private static String kernelOf(String cell) {
        Matcher m = CELL.matcher(cell);
        return m.matches() ? m.group(1) : cell;
    }

    private static int memoryOf(String cell) {
        Matcher m = CELL.matcher(cell);
        return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 0;
    }
}
