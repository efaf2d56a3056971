package dev.ringvm.vm;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccelDetectorTest {
    @Test
    void foreignGuestsRunUnderTcgAndRefuseForcedKvm() {
        assertThat(AccelDetector.foreign(dev.ringvm.config.Arch.X86_64, "amd64", AccelDetector.Mode.AUTO)).isEmpty();
        assertThat(AccelDetector.foreign(dev.ringvm.config.Arch.ARM64, "aarch64", AccelDetector.Mode.KVM)).isEmpty();
        AccelChoice arm = AccelDetector.foreign(dev.ringvm.config.Arch.ARM64, "amd64", AccelDetector.Mode.AUTO).orElseThrow();
        assertThat(arm.accel()).isEqualTo(Accel.TCG);
        assertThat(arm.reason()).isEqualTo("arm64 guests on an amd64 host: TCG (KVM runs only the host's own architecture)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        AccelDetector.foreign(dev.ringvm.config.Arch.ARM64, "amd64", AccelDetector.Mode.KVM))
                .hasMessage("--accel kvm: KVM cannot run arm64 guests on this amd64 host (KVM runs only the host's own"
                        + " architecture); use --accel auto or tcg");
    }

    @Test
    void forcedModesDoNotTest(@TempDir Path dir) throws Exception {
        AccelDetector d = AccelDetector.forHost(dir, "qemu-system-nonexistent");
        assertThat(d.choose(AccelDetector.Mode.KVM, dir.resolve("k"), m -> {}))
                .isEqualTo(new AccelChoice(Accel.KVM, "forced by --accel kvm", false));
        assertThat(d.choose(AccelDetector.Mode.TCG, dir.resolve("k"), m -> {}).accel()).isEqualTo(Accel.TCG);
    }

    @Test
    void missingDeviceMeansTcg(@TempDir Path dir) throws Exception {
        assertThat(AccelDetector.deviceProblem(dir.resolve("kvm"))).hasValueSatisfying(r -> assertThat(r).contains("does not exist"));
        Path dev = Files.createFile(dir.resolve("kvm-rw"));
        assertThat(AccelDetector.deviceProblem(dev)).isEmpty();
    }

    @Test
    void judgeNeedsMarkerAndCleanExit() {
        Duration d = Duration.ofSeconds(10);
        assertThat(AccelDetector.judge(new VmExit.PoweredOff(Duration.ofMillis(900)), "x\nRINGVM-ACCEL-OK\n", "", d).accel())
                .isEqualTo(Accel.KVM);
        assertThat(AccelDetector.judge(new VmExit.PoweredOff(Duration.ofMillis(900)), "Kernel panic", "", d).accel())
                .isEqualTo(Accel.TCG);
        AccelChoice hang = AccelDetector.judge(new VmExit.TimedOut(d), "",
                "KVM internal error. Suberror: 1\nemulation failure\nRAX=0000\n", d);
        assertThat(hang.accel()).isEqualTo(Accel.TCG);
        assertThat(hang.reason()).isEqualTo("KVM test boot did not finish within 10 s: \"KVM internal error. Suberror: 1\": using TCG");
        AccelChoice msr = AccelDetector.judge(new VmExit.QemuFailed(134, ""),
                "", "qemu-system-x86_64: ../target/i386/kvm/kvm.c:3125: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\n", d);
        assertThat(msr.reason()).startsWith("KVM test boot failed (qemu exit 134): \"qemu-system-x86_64: ../target/i386/kvm/kvm.c")
                .contains("Assertion");
    }

    @Test
    void cacheRoundTripKeyedByHostKernelAndQemuVersion(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("accel-h.json");
        AccelDetector.writeCache(f, new AccelDetector.CacheEntry("6.8.0", "QEMU 7.2", Accel.TCG, "why"));
        assertThat(AccelDetector.readCache(f, "6.8.0", "QEMU 7.2")).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo("why"));
        assertThat(AccelDetector.readCache(f, "6.9.0", "QEMU 7.2")).isEmpty();
        assertThat(AccelDetector.readCache(f, "6.8.0", "QEMU 8.0")).isEmpty();
        Files.writeString(f, "{garbage");
        assertThat(AccelDetector.readCache(f, "6.8.0", "QEMU 7.2")).isEmpty();
    }

    /**
     * On this host (no usable KVM for ordinary kernels) auto must choose TCG fast and say why. A test boot where
     * /dev/kvm exists; the kernel comes from the Debian archive unless RINGVM_TEST_KERNEL names one.
     */
    @Test
    @Tag("vm")
    @Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL})
    void autoOnThisHostPicksTcgQuickly(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        AccelChoice c = AccelDetector.forHost(dir, VmSpec.DEFAULT_QEMU)
                .choose(AccelDetector.Mode.AUTO, VmBootTest.testKernel(), m -> {});
        // not a capability: on a host where KVM works there is nothing to show here
        org.junit.jupiter.api.Assumptions.assumeTrue(c.accel() == Accel.TCG, "KVM works on this host: " + c.reason());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(c.reason()).containsIgnoringCase("kvm");
    }

    /**
     * The test-boot path: with the real /dev/kvm when there is one, else a stand-in device file so the
     * device check passes and QEMU's own KVM failure is what gets quoted. Decided in < 15 s, then cached.
     */
    @Test
    @Tag("vm")
    @Requires({Capability.QEMU, Capability.BUSYBOX, Capability.KERNEL})
    void testBootDecidesQuicklyQuotesFailuresAndIsCached(@TempDir Path dir) throws Exception {
        Path kernel = VmBootTest.testKernel();
        Path realKvm = Path.of("/dev/kvm");
        Path dev = Files.exists(realKvm) ? realKvm : Files.createFile(dir.resolve("kvm"));
        AccelDetector d = new AccelDetector(dir, VmSpec.DEFAULT_QEMU, dev, Path.of("/bin/busybox"), "testhost",
                "6.0-test", AccelDetector.TEST_BOOT_DEADLINE);
        long t0 = System.nanoTime();
        AccelChoice c = d.choose(AccelDetector.Mode.AUTO, kernel, m -> {});
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(c.cached()).isFalse();
        assertThat(c.reason()).startsWith("KVM test boot");
        if (c.accel() == Accel.TCG && dev != realKvm) {
            assertThat(c.reason()).contains(": \"").containsIgnoringCase("kvm").endsWith(": using TCG");
        }
        AccelChoice again = d.choose(AccelDetector.Mode.AUTO, kernel, m -> {});
        assertThat(again).isEqualTo(new AccelChoice(c.accel(), c.reason(), true));
        assertThat(dir.resolve("accel-testhost.json")).exists();
    }
}
