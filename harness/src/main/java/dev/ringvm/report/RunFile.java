package dev.ringvm.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ringvm.config.Expectations;
import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ConsoleFacts;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.Shard;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * run.json, read and written by Jackson: the run's metadata and every VM's, enough to re-render the reports
 * (the probe records are in results.jsonl). Fields absent from an older file read as null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record RunFile(int format, String nonce, String state, Long pid, String started, String finished, String accel,
               String accelReason, Integer plannedVms, Shard shard, String matrix, List<String> matrixCells,
               boolean interrupted, RunSummary.Stop stop, List<String> notRun, List<Integer> missingShards,
               List<UnavailableKernel> unavailable, List<Vm> vms) {

    /** {@code state}: written while the run goes on, then at its end (finished, or stopped early). */
    static final String RUNNING = "running";
    static final String FINISHED = "finished";
    static final String STOPPED = "stopped";

    static final int FORMAT = 3;

    /**
     * One VM. {@code source} is the kernel's description (for people and for files before {@code sourceSpec});
     * {@code wallSeconds} is how report.json's VMs say {@code wallMillis} (read back from the oldest directories).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record Vm(String name, String kernel, String source, KernelSource sourceSpec, String image, String imageSha256,
              String imageRelease, String versionString, String packageName, String packageVersion, int memoryMiB,
              int repeat, Expectations expect, Integer memlockKiB, VmResult.Status status, String detail,
              Long wallMillis, Double wallSeconds, String accel, String consoleLog, String resultsLog,
              ConsoleFacts console, List<VmResult.Attempt> attempts, String arch, Integer pageKiB) {

        static Vm of(VmResult vm, Path dir) {
            ResolvedKernel k = vm.job().kernel();
            return new Vm(vm.job().name(), k.id(), k.source().describe(), k.source(),
                    k.image() == null ? null : k.image().toString(), k.sha256(), k.release(), k.versionString(),
                    k.packageName(), k.packageVersion(), vm.job().memoryMiB(), vm.job().repeat(), vm.job().expect(),
                    vm.job().memlockKiB(), vm.status(), vm.detail(), vm.wall().toMillis(), null, vm.accel(),
                    relative(dir, vm.consoleLog()), relative(dir, vm.resultsLog()), vm.console(),
                    vm.attempts().isEmpty() ? null : vm.attempts(), k.arch().id(), k.pageKiB());
        }

        /**
         * The VM with {@code guest}'s records. Its console facts come from this file, or, for a directory written
         * before they were kept, from its console log, read now.
         */
        VmResult toResult(GuestRun guest, Path dir, java.util.function.Function<Path, ConsoleFacts> scan) {
            KernelSource src = sourceSpec != null ? sourceSpec : KernelSource.fromDescription(source);
            // directories written before arm64 hold x86-64 kernels: 4 KiB pages, or unknown for a host kernel
            dev.ringvm.config.Arch a = arch == null ? dev.ringvm.config.Arch.X86_64
                    : dev.ringvm.config.Arch.parse(arch).orElse(dev.ringvm.config.Arch.X86_64);
            int page = pageKiB != null ? pageKiB : src instanceof KernelSource.HostSource ? 0 : 4;
            ResolvedKernel k = new ResolvedKernel(kernel, src, image == null ? null : Path.of(image), imageSha256,
                    imageRelease, versionString, packageName, packageVersion, a, page);
            Duration wall = wallMillis != null ? Duration.ofMillis(wallMillis)
                    : Duration.ofMillis(Math.round((wallSeconds == null ? 0 : wallSeconds) * 1000));
            Path console = logPath(dir, consoleLog, name, "console.log");
            return new VmResult(new VmJob(k, memoryMiB, repeat, expect, memlockKiB),
                    status == null ? VmResult.Status.INCOMPLETE : status, detail == null ? "" : detail, guest, wall,
                    accel, console, logPath(dir, resultsLog, name, "results.log"),
                    this.console != null ? this.console : scan.apply(console), attempts);
        }
    }

    static RunFile of(RunSummary s) {
        RunSummary.Context c = s.context();
        String state = c.running() ? RUNNING : c.interrupted() ? STOPPED : FINISHED;
        return new RunFile(FORMAT, s.nonce(), state, c.running() ? ProcessHandle.current().pid() : null,
                s.started().toString(), s.finished().toString(), s.accel(), s.accelReason(), s.planned(), c.shard(),
                c.matrix(), c.matrixCells(), c.interrupted(), c.stop(), c.notRun(), c.missingShards(), s.unavailable(),
                s.vms().stream().map(v -> Vm.of(v, s.outDir())).toList());
    }

    /** Whether the run that wrote this file had not finished yet (or was killed before it could say). */
    boolean running() {
        return RUNNING.equals(state);
    }

    /** The summary of the directory {@code dir} this file describes, with each VM's records from {@code guests}. */
    RunSummary toSummary(Path dir, Map<String, GuestRun> guests, java.util.function.Function<Path, ConsoleFacts> scan) {
        List<VmResult> results = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Vm v : vms == null ? List.<Vm>of() : vms) {
            if (!seen.add(v.name())) continue;
            results.add(v.toResult(guests.getOrDefault(v.name(), GuestRun.of(List.of())), dir, scan));
        }
        RunSummary.Context ctx = new RunSummary.Context(shard, matrix, orEmpty(matrixCells), interrupted,
                orEmpty(notRun), orEmpty(missingShards), running(), stop);
        return new RunSummary(nonce, Instant.parse(started), Instant.parse(finished), dir, accel, accelReason,
                plannedVms == null ? results.size() : plannedVms, results, orEmpty(unavailable), false, ctx);
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static String relative(Path dir, Path p) {
        if (p == null) return null;
        Path abs = p.toAbsolutePath().normalize();
        Path base = dir.toAbsolutePath().normalize();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }

    /** A log path as recorded, relative to the run directory; the per-VM default when it moved with the directory. */
    private static Path logPath(Path dir, String recorded, String vm, String file) {
        Path local = dir.resolve(vm).resolve(file);
        if (recorded == null) return local;
        Path p = Path.of(recorded);
        Path resolved = p.isAbsolute() ? p : dir.resolve(p);
        return Files.exists(resolved) || !Files.exists(local) ? resolved : local;
    }
}
