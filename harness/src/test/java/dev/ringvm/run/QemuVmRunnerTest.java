package dev.ringvm.run;

import dev.ringvm.model.GuestRun;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.vm.VmExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class QemuVmRunnerTest {

    @TempDir
    Path dir;

    private VmResult classify(VmExit exit, List<String> lines) {
        return QemuVmRunner.classify(new VmJob(kernel("k", "6.12.1"), 512), exit, GuestRun.parse(lines, NONCE),
                Duration.ofSeconds(3), "tcg", dir.resolve("console.log"), dir.resolve("results.log"));
    }

    @Test
    void poweredOffWithEveryRecordIsComplete() {
        VmResult r = classify(new VmExit.PoweredOff(Duration.ofSeconds(3)), grid("6.12.1", "ok", 0));
        assertThat(r.status()).isEqualTo(VmResult.Status.COMPLETE);
        assertThat(r.detail()).isEmpty();
    }

    @Test
    void poweredOffMidGridNamesTheCaseAndThePanic() throws Exception {
        Files.writeString(dir.resolve("console.log"), "[ 9.1] BUG: unable to handle page fault\n"
                + "[ 9.2] Kernel panic - not syncing: Fatal exception\n");
        VmResult r = classify(new VmExit.PoweredOff(Duration.ofSeconds(3)), grid("6.5.0", "ok", 0).subList(0, 4));
        assertThat(r.status()).isEqualTo(VmResult.Status.INCOMPLETE);
        assertThat(r.detail()).contains("without the probe's end record (1 results)")
                .contains("during case memalign/sq128").contains("Kernel panic - not syncing");
    }

    @Test
    void probeThatNeverStartedIsSaidSo() {
        VmResult r = classify(new VmExit.PoweredOff(Duration.ofSeconds(3)), List.of());
        assertThat(r.status()).isEqualTo(VmResult.Status.INCOMPLETE);
        assertThat(r.detail()).contains("probe did not start");
    }

    @Test
    void timeoutKeepsTheResultsBeforeIt() {
        VmResult r = classify(new VmExit.TimedOut(Duration.ofSeconds(300)), grid("6.5.0", "ok", 0).subList(0, 4));
        assertThat(r.status()).isEqualTo(VmResult.Status.TIMEOUT);
        assertThat(r.detail()).isEqualTo("killed after the 300 s timeout during case memalign/sq128");
        assertThat(r.guest().cases()).hasSize(1);
    }

    @Test
    void qemuFailureQuotesItsLastLine() {
        VmResult r = classify(new VmExit.QemuFailed(1, "warning: x\nqemu-system-x86_64: -kernel /k: No such file\n"),
                List.of());
        assertThat(r.status()).isEqualTo(VmResult.Status.QEMU_FAILED);
        assertThat(r.detail()).isEqualTo("qemu exited 1: qemu-system-x86_64: -kernel /k: No such file");
    }
}
