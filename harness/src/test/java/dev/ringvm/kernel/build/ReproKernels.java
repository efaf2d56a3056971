package dev.ringvm.kernel.build;

import dev.ringvm.config.KernelSource;
import dev.ringvm.guest.GuestImage;
import dev.ringvm.guest.ProbeJar;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.probe.protocol.Result;
import dev.ringvm.run.QemuVmRunner;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.vm.Accel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;


/**
 * Shared by the repro VM tests: builds a kernels-repro.yaml kernel with {@link DebianSourceBuilder} (cached under
 * the user cache, so a rerun is instant), boots it under TCG with the real guest image and probe, and returns
 * the VM result. Its users carry {@code @Requires} for QEMU, busybox, the build tools and the Debian archive.
 */
final class ReproKernels {
    /** The repository root (tests run in harness/). */
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path FRAGMENT = REPO.resolve("vm-images/kernel-config/ringvm-guest.config");

    private ReproKernels() {}

    /** The arm64 guest fragment and the 16 KiB page fragment, as kernels-repro.yaml's repro-6.5-arm64-16k lists them. */
    static final List<Path> ARM64_16K_FRAGMENTS = List.of(REPO.resolve("vm-images/kernel-config/ringvm-guest-arm64.config"),
            REPO.resolve("vm-images/kernel-config/ringvm-arm64-16k.config"));

    /** repro-6.5-arm64-16k of kernels-repro.yaml: {@code patch} cross-built for arm64 with 16 KiB pages. */
    static KernelSource.BuildSource sourceArm64_16k(String patch) {
        return new KernelSource.BuildSource(null, "linux-source-6.12", "trixie", "tinyconfig", ARM64_16K_FRAGMENTS,
                List.of(REPO.resolve("vm-images/patches").resolve(patch)));
    }

    /** Builds {@link #sourceArm64_16k} (cached under the user cache) and returns the Image. */
    static Path buildArm64_16k(String id, String patch) throws Exception {
        Path cache = CacheDirs.root();
        return new DebianSourceBuilder(cache, new AptRepo(cache, System.err::println))
                .build(id, sourceArm64_16k(patch), dev.ringvm.config.Arch.ARM64, System.err::println);
    }

    static KernelSource.BuildSource source(String patch) {
        return new KernelSource.BuildSource(null, "linux-source-6.12", "trixie", "tinyconfig", List.of(FRAGMENT),
                List.of(REPO.resolve("vm-images/patches").resolve(patch)));
    }

    static VmResult buildAndBoot(String id, String patch, int memoryMiB, Path vmDir) throws Exception {
        Path cache = CacheDirs.root();
        Path image = new DebianSourceBuilder(cache, new AptRepo(cache, System.err::println))
                .build(id, source(patch), System.err::println);
        GuestImage guest = GuestImage.builder(cache, ProbeJar.locate(cache)).build();
        ResolvedKernel kernel = new ResolvedKernel(id, new KernelSource.PathSource(image), image, "0".repeat(64), "?", "?", null, null);
        QemuVmRunner runner = new QemuVmRunner("qemu-system-x86_64", guest.path(), Accel.TCG, Duration.ofMinutes(10),
                "default", null);
        Files.createDirectories(vmDir);
        return runner.run(new VmJob(kernel, memoryMiB), vmDir, UUID.randomUUID().toString().replace("-", ""));
    }

    /**
     * {@link #buildAndBoot} at 512 MiB, then: the VM must have completed (else the assertion names status, detail
     * and console); prints the outcome matrix and returns the case results.
     */
    static List<Result> completeCases(String id, String patch, Path dir) throws Exception {
        VmResult r = buildAndBoot(id, patch, 512, dir.resolve("vm"));
        org.assertj.core.api.Assertions.assertThat(r.complete())
                .as(r.status() + " " + r.detail() + " console: " + r.consoleLog()).isTrue();
        List<Result> cases = r.guest().cases();
        System.err.println(id + " " + r.guest().release() + " in " + r.wall().toSeconds() + " s: " + matrix(cases));
        return cases;
    }

    /** "backing: outcome x count" per backing for single-page and multi-page cases, for the report and messages. */
    static String matrix(List<Result> cases) {
        Map<String, Map<String, Long>> m = cases.stream().collect(Collectors.groupingBy(
                c -> c.singlePage() ? "single-page" : "multi/" + c.spec().backing().id(), TreeMap::new,
                Collectors.groupingBy(Result::outcome, TreeMap::new, Collectors.counting())));
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; "));
    }
}
