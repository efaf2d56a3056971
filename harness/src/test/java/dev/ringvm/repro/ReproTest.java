package dev.ringvm.repro;

import dev.ringvm.guest.ProbeJar;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmResult;
import dev.ringvm.probe.Grid;
import dev.ringvm.probe.protocol.CaseSpec;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.probe.protocol.RecordReader;
import dev.ringvm.config.ConfigException;
import dev.ringvm.report.RunDirectory;
import dev.ringvm.run.Fixtures;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The C reproducer is generated from the typed case and says on the host kernel what the probe says there; the
 * directory for a bug report has every file and the README names kernel, expectation, observation and pages.
 */
class ReproTest {

    @Test
    void theCaseBlockComesFromTheSpec() {
        CaseSpec spec = Grid.defaultGrid().stream().filter(c -> c.id().equals("memalign/sq128+sqe128+cqe32")).findFirst().orElseThrow();
        String block = ReproSource.constants(spec);
        assertThat(block).contains("#define CASE_ID \"memalign/sq128+sqe128+cqe32\"\n#define SQ_ENTRIES 128U\n"
                + "#define CQ_ENTRIES 0U /* with IORING_SETUP_CQSIZE */\n"
                + "#define SETUP_FLAGS (IORING_SETUP_NO_MMAP | IORING_SETUP_SQE128 | IORING_SETUP_CQE32)\n"
                + "#define BACKING BACKING_MEMALIGN /* posix_memalign, page aligned, 4 KiB pages */\n"
                + "#define LAYOUT LAYOUT_SEPARATE\n#define EDGE EDGE_NONE\n");
        assertThat(ReproSource.of(spec)).doesNotContain(ReproSource.MARKER).contains(block);
    }

    @Test
    void casesWithoutAReproducerAreNamedNotGuessed() {
        List<String> refused = Grid.defaultGrid().stream().filter(c -> ReproSource.unsupported(c) != null)
                .map(CaseSpec::id).toList();
        assertThat(refused).contains("span/hugetlb/sq256/cq4096", "edge/aliased/shared/sq128/cq128+sqe128",
                "pbuf-ring/anon/bufs512", "mem-region/anon/pages16", "edge/null/mem-region/anon/pages1");
        assertThat(refused).noneMatch(id -> id.startsWith("memalign/") || id.startsWith("lib/") || id.startsWith("edge/unaligned/"));
        CaseSpec pbuf = Grid.defaultGrid().stream().filter(c -> c.id().equals("pbuf-ring/anon/bufs512")).findFirst().orElseThrow();
        assertThat(ReproSource.unsupported(pbuf)).startsWith("no C reproducer for the pbuf-ring family yet");
    }

    /** One case of each backing, layout, flag and edge kind of the default grid (those the reproducer covers). */
    static List<CaseSpec> representatives() {
        Map<String, CaseSpec> pick = new LinkedHashMap<>();
        for (CaseSpec c : Grid.defaultGrid()) {
            if (ReproSource.unsupported(c) != null) continue;
            pick.putIfAbsent("backing " + c.backing(), c);
            pick.putIfAbsent("layout " + c.layout(), c);
            c.options().forEach(o -> pick.putIfAbsent("option " + o, c));
            if (c.edge() != null) pick.putIfAbsent("edge " + c.edge(), c);
            if (c.cqsize()) pick.putIfAbsent("cqsize", c);
        }
        return pick.values().stream().distinct().toList();
    }

    @Test
    @Requires(Capability.GCC)
    void compiledStaticallyItGivesTheHostsResultAsTheProbeDoes(@TempDir Path dir) throws Exception {
        Path jar = ProbeJar.locate(CacheDirs.root());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> checked = new ArrayList<>();
        for (CaseSpec spec : representatives()) {
            Path d = Files.createDirectories(dir.resolve("c" + spec.index()));
            Files.writeString(d.resolve("repro.c"), ReproSource.of(spec));
            ProcessRunner.Result cc = ProcessRunner.run(List.of("sh", "-c", ReproSource.BUILD + " -Werror"), d, Duration.ofMinutes(2));
            assertThat(cc.ok()).as(spec.id() + ": " + cc.output()).isTrue();
            ProcessRunner.Result run = ProcessRunner.run(List.of(d.resolve("repro").toString()), d, Duration.ofMinutes(1));
            String c = lastResult(run.stdout());

            ProcessRunner.Result probe = ProcessRunner.run(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                    jar.toString(), "--out", "-", "--nonce", "n", "--only", "^" + Pattern.quote(spec.id()) + "$"), d, Duration.ofMinutes(2));
            List<Result> results = new ArrayList<>();
            for (String line : probe.stdout().lines().toList()) {
                if (RecordReader.lenient().read(line, "n") instanceof Result r) results.add(r);
            }
            assertThat(results).as(spec.id() + " probe: " + probe.output()).hasSize(1);
            Result p = results.getFirst();
            String expected = p.result() + (p.code() == dev.ringvm.probe.protocol.ResultCode.OK && !p.passed() ? ", but" : "");
            assertThat(c).as(spec.id() + ":\n" + run.stdout()).startsWith(expected);
            assertThat(run.exitCode()).as(spec.id()).isEqualTo(p.passed() ? 0 : p.code() == dev.ringvm.probe.protocol.ResultCode.SETUP_FAILED ? 1
                    : p.code() == dev.ringvm.probe.protocol.ResultCode.ALLOC_FAILED ? 3 : 2);
            checked.add(spec.id() + "=" + c);
        }
        System.err.println("host " + ProcessRunner.run(List.of("uname", "-r"), Duration.ofSeconds(5)).stdout().strip() + ": " + checked);
        assertThat(checked).hasSizeGreaterThanOrEqualTo(8);
    }

    private static String lastResult(String out) {
        String r = null;
        for (String l : out.lines().toList()) if (l.startsWith("result: ")) r = l.substring(8);
        return r == null ? "(no result line)" : r;
    }

    @Test
    void writesTheBugReportDirectoryForOneCaseOfARun(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        VmResult vm = Fixtures.vm("repro-6.5", "6.12.117", 512, Fixtures.grid("6.12.117", "EFAULT", 14), VmResult.Status.COMPLETE, "");
        vm = new VmResult(vm.job(), vm.status(), vm.detail(), vm.guest(), vm.wall(), vm.accel(),
                run.resolve("repro-6.5-512M/console.log"), run.resolve("repro-6.5-512M/results.log"), vm.console());
        RunDirectory.write(new RunSummary(Fixtures.NONCE, Instant.EPOCH, Instant.EPOCH, run, "tcg", "test", 1,
                List.of(vm), List.of(), false, RunSummary.Context.NONE));
        Path out = Repro.write(run, "repro-6.5-512M/memalign/sq128", dir.resolve("out"));
        assertThat(out.resolve("repro.c")).content().contains("#define CASE_ID \"memalign/sq128\"");
        assertThat(out.resolve("build.sh")).content().contains("gcc -O2 -Wall -static -o repro repro.c");
        assertThat(out.resolve("mkinitramfs.sh")).content().contains("cpio -o -H newc");
        assertThat(out.resolve("run-qemu.sh")).content()
                .contains("KERNEL=\"${KERNEL:-/k/repro-6.5}\"")
                .contains("-m 512M").contains("-initrd initramfs.cpio")
                .contains("'console=ttyS0 panic=-1 loglevel=5 hugepagesz=2M hugepages=16 transparent_hugepage=madvise'")
                .contains("ringvm.only=memalign/sq128");
        assertThat(Files.isExecutable(out.resolve("run-qemu.sh"))).isTrue();
        String readme = Files.readString(out.resolve("README.md"));
        assertThat(readme).startsWith("# io_uring NO_MMAP setup: memalign/sq128 on 6.12.117\n");
        assertThat(readme).contains("- expected: `ok` (").contains("- observed: `EFAULT` (errno 14)")
                .contains("- verdict: REGRESSION: ").contains("- timeline row that decided the expectation: **")
                .contains("- SQE region: ").contains("- rings region: ");

        assertThatThrownBy(() -> Repro.write(run, "nope-512M/memalign/sq1", dir.resolve("x")))
                .isInstanceOf(ConfigException.class).hasMessage("CELL: no nope-512M in " + run + " (cells: [repro-6.5-512M])");
        assertThatThrownBy(() -> Repro.write(run, "repro-6.5-512M/anon/sq9", dir.resolve("x")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("CELL: no case anon/sq9 in repro-6.5-512M (3 cases");
        assertThatThrownBy(() -> Repro.write(run, "repro-6.5-512M", dir.resolve("x")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("CELL: expected <kernel>-<memory>/<case id>");
    }

    @Test
    void anArm64CellIsRefusedByName(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        VmResult vm = Fixtures.vm("arm", "6.12.117", 512, Fixtures.grid("6.12.117", "ok", 0), VmResult.Status.COMPLETE, "");
        dev.ringvm.model.ResolvedKernel k = vm.job().kernel();
        dev.ringvm.model.ResolvedKernel arm = new dev.ringvm.model.ResolvedKernel(k.id(), k.source(), k.image(),
                k.sha256(), k.release(), k.versionString(), null, null, dev.ringvm.config.Arch.ARM64, 16);
        vm = new VmResult(new dev.ringvm.model.VmJob(arm, 512), vm.status(), vm.detail(), vm.guest(), vm.wall(),
                vm.accel(), run.resolve("arm-512M/console.log"), run.resolve("arm-512M/results.log"), vm.console());
        RunDirectory.write(new RunSummary(Fixtures.NONCE, Instant.EPOCH, Instant.EPOCH, run, "tcg", "test", 1,
                List.of(vm), List.of(), false, RunSummary.Context.NONE));
        assertThatThrownBy(() -> Repro.write(run, "arm-512M/memalign/sq128", dir.resolve("out")))
                .isInstanceOf(ConfigException.class).hasMessage("CELL: arm-512M is an arm64 kernel; repro writes x86-64"
                        + " reproducers only (its C program, busybox and QEMU line are the host's)");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
