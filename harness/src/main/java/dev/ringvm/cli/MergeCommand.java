package dev.ringvm.cli;

import dev.ringvm.model.Shard;

import dev.ringvm.config.ConfigException;
import dev.ringvm.report.RunDirectory;
import dev.ringvm.report.TerminalMatrix;
import dev.ringvm.model.GuestRun;
import dev.ringvm.probe.protocol.ProbeRecord;
import dev.ringvm.probe.protocol.RecordReader;
import dev.ringvm.probe.protocol.RecordWriter;
import dev.ringvm.model.RunSummary;
import dev.ringvm.run.Shards;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmResult;
import dev.ringvm.verdict.Judgement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code ringvm merge --out DIR RUN_DIR...}: one run directory (every report) from the shards of a matrix. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Combine the run directories of `ringvm run --shard I/N` into one run directory with every "
                + "report; exit as `run` would for the whole matrix (3 when shards are missing).")
final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The merged run directory.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Shard run directories.")
    List<Path> dirs;

    @Override
    public Integer call() throws Exception {
        List<RunSummary> shards = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.exists(d.resolve("run.json")) && !Files.exists(d.resolve("report.json"))) {
                throw new ConfigException(d + ": not a run directory (no run.json or report.json)");
            }
            shards.add(ReportCommand.load(d));
        }
        RunSummary merged = merge(shards, out);
        Judgement j;
        try (dev.ringvm.host.DirectoryLock _ = RunDirs.claim("--out", out, "ringvm merge")) {
            copyVmDirs(shards, out);
            j = RunDirectory.write(merged);
        }
        spec.commandLine().getOut().print(TerminalMatrix.render(j, TerminalMatrix.colourWanted()));
        spec.commandLine().getOut().flush();
        List<Integer> missing = merged.context().missingShards();
        if (!missing.isEmpty()) {
            spec.commandLine().getErr().println("ringvm: merged " + shards.size() + " shard(s); missing shard(s) "
                    + String.join(", ", missing.stream().map(String::valueOf).toList()) + " of "
                    + shardOf(shards.getFirst()).count());
        }
        return j.exitCode().code();
    }

    private static Shard shardOf(RunSummary s) {
        return s.context().shard() != null ? s.context().shard() : new Shard(1, 1);
    }

    /**
     * The whole matrix from its shards: VMs in the matrix's report order, records re-tagged with one nonce,
     * log paths under {@code out}. ConfigException naming the directory when the shards do not belong together.
     */
    static RunSummary merge(List<RunSummary> shards, Path out) throws ConfigException {
        RunSummary first = shards.getFirst();
        String matrix = first.context().matrix();
        int count = shardOf(first).count();
        Map<Integer, Path> byIndex = new HashMap<>();
        Map<String, Path> cellOwner = new HashMap<>();
        for (RunSummary s : shards) {
            Path dir = s.outDir();
            RunSummary.Context c = s.context();
            if (c.matrix() == null) {
                throw new ConfigException(dir + ": records no matrix fingerprint (written before shards existed); run it again");
            }
            if (!c.matrix().equals(matrix)) {
                throw new ConfigException(dir + ": a different matrix (fingerprint " + c.matrix() + ", " + first.outDir()
                        + " has " + matrix + "): shards of different kernels.yaml matrices cannot be merged");
            }
            Shard sh = shardOf(s);
            if (sh.count() != count) {
                throw new ConfigException(dir + ": shard " + sh + " but " + first.outDir() + " is shard "
                        + shardOf(first) + ": shard counts disagree");
            }
            Path again = byIndex.putIfAbsent(sh.index(), dir);
            if (again != null) throw new ConfigException(dir + ": shard " + sh + " again (also " + again + ")");
            for (VmResult vm : s.vms()) {
                Path other = cellOwner.get(vm.job().cell());
                if (other != null && !other.equals(dir)) {
                    throw new ConfigException(dir + ": cell " + vm.job().cell() + " is also in " + other);
                }
                cellOwner.put(vm.job().cell(), dir);
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) if (!byIndex.containsKey(i)) missing.add(i);

        String nonce = first.nonce();
        List<VmResult> vms = new ArrayList<>();
        for (RunSummary s : shards) for (VmResult vm : s.vms()) vms.add(retag(vm, nonce, out));
        List<String> cells = first.context().matrixCells();
        vms.sort(Comparator.<VmResult>comparingInt(v -> order(cells, v.job().cell())).thenComparingInt(v -> v.job().repeat()));

        int repeats = vms.stream().mapToInt(v -> v.job().repeat() + 1).max().orElse(1);
        List<String> notRun = new ArrayList<>();
        for (RunSummary s : shards) notRun.addAll(s.context().notRun());
        int planned = shards.stream().mapToInt(RunSummary::planned).sum();
        if (!missing.isEmpty()) {
            Map<String, Integer> owner = Shards.assign(cells, count);
            for (String cell : cells) {
                if (missing.contains(owner.get(cell))) {
                    notRun.add(cell);
                    planned += repeats;
                }
            }
        }
        Map<String, UnavailableKernel> unavailable = new LinkedHashMap<>();
        for (RunSummary s : shards) for (UnavailableKernel u : s.unavailable()) unavailable.putIfAbsent(u.id(), u);
        Instant started = shards.stream().map(RunSummary::started).min(Comparator.naturalOrder()).orElseThrow();
        Instant finished = shards.stream().map(RunSummary::finished).max(Comparator.naturalOrder()).orElseThrow();
        Set<String> accels = new TreeSet<>();
        Set<String> reasons = new LinkedHashSet<>();
        for (RunSummary s : shards) {
            if (s.accel() != null && !s.accel().equals("none")) accels.add(s.accel());
            if (s.accelReason() != null && !s.accelReason().isBlank()) reasons.add(s.accelReason());
        }
        boolean interrupted = shards.stream().anyMatch(s -> s.context().interrupted());
        RunSummary.Context ctx = new RunSummary.Context(null, matrix, cells, interrupted, notRun, missing);
        return new RunSummary(nonce, started, finished, out, accels.isEmpty() ? first.accel() : String.join(",", accels),
                String.join("; ", reasons), planned, vms, List.copyOf(unavailable.values()), false, ctx);
    }

    private static int order(List<String> cells, String cell) {
        int i = cells.indexOf(cell);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /** The VM with its records under the merged nonce and its logs where copyVmDirs puts them. */
    private static VmResult retag(VmResult vm, String nonce, Path out) {
        List<ProbeRecord> records = new ArrayList<>();
        for (ProbeRecord rec : vm.guest().records()) {
            Map<String, Object> fields = RecordWriter.fields(rec);
            fields.put("nonce", nonce);
            records.add(RecordReader.lenient().record(fields));
        }
        Path vmDir = out.resolve(vm.job().name());
        return new VmResult(vm.job(), vm.status(), vm.detail(), GuestRun.of(records), vm.wall(), vm.accel(),
                vmDir.resolve("console.log"), vmDir.resolve("results.log"), vm.console());
    }

    /** Copies each shard's per-VM directory (console and results logs) into the merged directory. */
    static void copyVmDirs(List<RunSummary> shards, Path out) throws IOException {
        for (RunSummary s : shards) {
            for (VmResult vm : s.vms()) {
                Path from = vm.consoleLog() != null ? vm.consoleLog().getParent() : s.outDir().resolve(vm.job().name());
                Path to = out.resolve(vm.job().name());
                if (from == null || !Files.isDirectory(from) || from.toAbsolutePath().normalize()
                        .equals(to.toAbsolutePath().normalize())) continue;
                try (Stream<Path> walk = Files.walk(from)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path target = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(target);
                        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }
}
