package dev.ringvm.vm;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.guest.GuestImage;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.guest.StandInProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boots a real kernel under QEMU (run with -Pvm-tests). */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL})
class VmBootTest {
    /**
     * The test kernel ({@link Capability#KERNEL}): -Dringvm.test.kernel=PATH or RINGVM_TEST_KERNEL, else Debian
     * trixie's cloud kernel through the resolver (cached under the user cache directory).
     */
    static Path testKernel() throws Exception {
        Optional<Path> k = Capability.testKernel();
        if (k.isPresent()) return k.get();
        Path lock = Files.createTempDirectory("ringvm-lock").resolve("kernels.lock");
        return new KernelResolver(CacheDirs.root(), lock, m -> { })
                .resolve(new KernelEntry("trixie", new KernelSource.AptSource("linux-image-*-cloud-amd64", "trixie")))
                .image();
    }

    @Test
    void guestRunsTheProbeAndPowersOff(@TempDir Path dir) throws Exception {
        Path kernel = testKernel();
        Path probe = StandInProbe.build(dir.resolve("probe"));
        GuestImage image = GuestImage.builder(dir.resolve("cache"), probe).build();
        String nonce = UUID.randomUUID().toString().replace("-", "");
        Path console = dir.resolve("console.log");
        Path results = dir.resolve("results.jsonl");
        VmSpec spec = VmSpec.of(kernel, image.path(), console, results)
                // AOTMode=on: the JVM refuses to start unless it can use the image's AOT cache, trained on the host
                // with the jar elsewhere and the runtime elsewhere (the guest must accept it, not silently ignore it)
                .withCmdlineExtras(KernelCmdline.probe(nonce, "default", null, List.of("-XX:AOTMode=on")))
                .withTimeout(Duration.ofSeconds(120));
        VmExit exit;
        try (Vm vm = Vm.start(spec)) {
            exit = vm.await();
        }
        String con = Files.readString(console, StandardCharsets.ISO_8859_1);
        assertThat(exit).as(con).isInstanceOf(VmExit.PoweredOff.class);
        List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
        assertThat(lines).as(con).contains(
                "{\"type\":\"end\",\"nonce\":\"" + nonce + "\",\"count\":0}");
        assertThat(lines.getFirst()).startsWith("{\"type\":\"header\",\"nonce\":\"" + nonce + "\"");
        assertThat(con).contains("ringvm: probe exited rc=0 at ");
    }

    @Test
    void realKernelTimeoutLeavesNoQemu(@TempDir Path dir) throws Exception {
        Path kernel = testKernel();
        Path initrd = dir.resolve("bb.cpio.gz");
        GuestImage.writeBusyboxImage(GuestImage.DEFAULT_BUSYBOX, "#!/bin/busybox sh\n/bin/busybox sleep 600\n", initrd);
        VmSpec spec = VmSpec.of(kernel, initrd, dir.resolve("con.log"), dir.resolve("res.log"))
                .withTimeout(Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        long pid;
        VmExit exit;
        try (Vm vm = Vm.start(spec)) {
            pid = vm.pid();
            exit = vm.await();
        }
        assertThat(exit).isEqualTo(new VmExit.TimedOut(Duration.ofSeconds(1)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
