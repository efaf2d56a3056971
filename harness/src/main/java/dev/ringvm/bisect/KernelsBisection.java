package dev.ringvm.bisect;

import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ringvm bisect --kernels FILE}: the kernels of a kernels.yaml in the version order of their image headers
 * (ties keep the file's order), binary-searched for the first one whose chosen cells' verdicts differ from the first
 * kernel's. A kernel that cannot be judged (INFRA, FLAKY) is skipped and a neighbour taken instead; when only
 * skipped kernels separate the two sides, all of them are reported. Nothing is built: this is how a distribution
 * engineer walks package versions.
 */
public final class KernelsBisection {
    private final Path dir;
    private final Boots.Judging judging;
    private final Consumer<String> log;
    private BisectState state;
    private int fromState;
    private final boolean resumed;

    public KernelsBisection(Path dir, BisectState state, Boots.Judging judging, Consumer<String> log) {
        this.dir = dir;
        this.state = state;
        this.judging = judging;
        this.log = log;
        this.resumed = !state.steps().isEmpty();
    }

    /** Kernels by the version their image header names: numbers compared as numbers; stable for ties. */
    public static List<ResolvedKernel> inVersionOrder(List<ResolvedKernel> kernels) {
        List<ResolvedKernel> out = new ArrayList<>(kernels);
        out.sort(Comparator.comparing(ResolvedKernel::release, KernelsBisection::compareVersions));
        return out;
    }

    private static final Pattern PART = Pattern.compile("(\\d+)|(\\D+)");

    /** {@code 6.1.0-50-cloud-amd64 < 6.1.0-51-cloud-amd64 < 6.12.57+deb13 < 6.12.117}: digit runs as numbers. */
    static int compareVersions(String a, String b) {
        Matcher x = PART.matcher(a == null ? "" : a);
        Matcher y = PART.matcher(b == null ? "" : b);
        while (true) {
            boolean hx = x.find(), hy = y.find();
            if (!hx || !hy) return Boolean.compare(hx, hy);
            int c;
            if (x.group(1) != null && y.group(1) != null) {
                c = new java.math.BigInteger(x.group(1)).compareTo(new java.math.BigInteger(y.group(1)));
            } else if (x.group(1) != null || y.group(1) != null) {
                c = x.group(1) != null ? 1 : -1; // "6.12.1" after "6.12-rc": a number outranks a suffix
            } else {
                c = x.group(2).compareTo(y.group(2));
            }
            if (c != 0) return c;
        }
    }

    /** Binary search over {@code ordered} (already in version order). */
    public BisectReport run(List<ResolvedKernel> ordered) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        state = state.concluded(null);
        state.write(dir);
        log.accept("kernels in version order: " + ordered.stream().map(k -> k.id() + " " + k.release()).toList());
        int lo = 0;
        int hi = ordered.size() - 1;
        StepResult ref = judge(ordered, lo);
        if (ref.answer() == Answer.SKIP) {
            return end(new BisectState.Conclusion(BisectState.Kind.UNDECIDED, null, null, List.of(ordered.get(0).id()),
                    "the first kernel " + ordered.get(0).id() + " could not be judged (" + ref.reason() + ")"));
        }
        if (ordered.size() == 1) {
            return end(new BisectState.Conclusion(BisectState.Kind.NO_CHANGE, null, null, List.of(),
                    "one kernel only: nothing to compare"));
        }
        Set<Integer> skipped = new HashSet<>();
        StepResult last = judge(ordered, hi);
        while (last.answer() == Answer.SKIP) {
            skipped.add(hi);
            hi--;
            if (hi == lo) break;
            last = judge(ordered, hi);
        }
        if (hi == lo) {
            return end(new BisectState.Conclusion(BisectState.Kind.UNDECIDED, null, null, ids(ordered, 1, ordered.size()),
                    "no kernel after " + ordered.get(0).id() + " could be judged"));
        }
        if (same(ref, last)) {
            return end(new BisectState.Conclusion(BisectState.Kind.NO_CHANGE, null, null, List.of(),
                    "the chosen cells' verdicts are the same from " + ordered.get(0).id() + " to "
                            + ordered.get(hi).id() + ": no kernel changes them"));
        }
        while (true) {
            List<Integer> open = new ArrayList<>();
            for (int i = lo + 1; i < hi; i++) if (!skipped.contains(i)) open.add(i);
            if (open.isEmpty()) break;
            int mid = (lo + hi) / 2;
            int m = open.stream().min(Comparator.comparingInt(i -> Math.abs(i - mid))).orElseThrow();
            StepResult r = judge(ordered, m);
            if (r.answer() == Answer.SKIP) skipped.add(m);
            else if (same(ref, r)) lo = m;
            else hi = m;
        }
        if (hi - lo > 1) {
            return end(new BisectState.Conclusion(BisectState.Kind.UNDECIDED, null, ordered.get(lo).id(),
                    ids(ordered, lo + 1, hi + 1), "skipped kernels between " + ordered.get(lo).id() + " and "
                    + ordered.get(hi).id() + ": the first change is at one of them"));
        }
        return end(new BisectState.Conclusion(BisectState.Kind.FOUND, ordered.get(hi).id(), ordered.get(lo).id(),
                List.of(), ordered.get(hi).id() + " is the first kernel whose verdicts change"));
    }

    private static List<String> ids(List<ResolvedKernel> k, int from, int to) {
        return k.subList(from, to).stream().map(ResolvedKernel::id).toList();
    }

    private BisectReport end(BisectState.Conclusion c) throws IOException {
        state = state.concluded(c);
        state.write(dir);
        return new BisectReport(state, resumed ? fromState : 0);
    }

    /** Same verdict for every chosen cell (outcomes may differ: KNOWN_BUG EFAULT and KNOWN_BUG EINVAL agree). */
    static boolean same(StepResult a, StepResult b) {
        return verdicts(a.cells()).equals(verdicts(b.cells()));
    }

    private static Map<String, String> verdicts(Map<String, String> cells) {
        Map<String, String> out = new TreeMap<>();
        cells.forEach((k, v) -> out.put(k, v.split(" ", 2)[0]));
        return out;
    }

    private StepResult judge(List<ResolvedKernel> ordered, int i) throws IOException, InterruptedException {
        ResolvedKernel k = ordered.get(i);
        Optional<StepResult> known = state.step(k.id());
        if (known.isPresent()) {
            fromState++;
            return known.get();
        }
        Path stepDir = dir.resolve("steps").resolve(String.format("%02d-%s", state.steps().size() + 1, k.id()));
        log.accept("kernel " + k.id() + " (" + k.release() + "): booting");
        Boots.Judged j = judging.judge(k, stepDir);
        StepResult r = new StepResult(k.id(), null, k.release(), j.answer(), j.reason(), j.cells(), false, 0,
                j.boots(), j.bootTime().toMillis() / 1000.0, dir.relativize(stepDir).toString());
        log.accept("kernel " + k.id() + ": " + r.answer() + ": " + r.reason());
        state = state.with(r);
        state.write(dir);
        return r;
    }
}
