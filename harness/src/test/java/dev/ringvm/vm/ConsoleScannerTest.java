package dev.ringvm.vm;

import dev.ringvm.model.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleScannerTest {
    private static List<Finding> scan(String text) {
        return ConsoleScanner.scan(text.lines().toList());
    }

    @Test
    void cleanBootHasNoFindings() {
        assertThat(scan(ConsoleSamples.CLEAN_BOOT)).isEmpty();
        assertThat(scan(ConsoleSamples.FALSE_ALARMS)).isEmpty();
    }

    @Test
    void nullDereferenceOopsAndTheFollowingPanicAreTwoFindings() {
        List<Finding> f = scan(ConsoleSamples.OOPS_PANIC);
        assertThat(f).extracting(Finding::kind).containsExactly(Finding.Kind.BUG, Finding.Kind.PANIC);
        assertThat(f.getFirst().line()).isEqualTo(2);
        assertThat(f.getFirst().text()).contains("BUG: kernel NULL pointer dereference");
        assertThat(f.getFirst().excerpt()).contains("ringvm: probe starting", "io_uring_setup+0x3c8/0x940", "end trace")
                .doesNotContain("Kernel panic");
        assertThat(f.get(1).text()).contains("Kernel panic - not syncing: Fatal exception");
    }

    @Test
    void warningNeedsACallTrace() {
        List<Finding> f = scan(ConsoleSamples.WARNING);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Finding.Kind.WARNING);
            assertThat(x.summary()).isEqualTo("WARNING with call trace at console.log:3: [   14.118420] WARNING: CPU: 1 PID: 91 at io_uring/memmap.c:214 io_free_region+0x9c/0xb0");
            assertThat(x.excerpt()).contains("cut here", "io_ring_exit_work").doesNotContain("probe exited");
        });
    }

    @Test
    void lockupsStallsAndSanitizers() {
        assertThat(scan(ConsoleSamples.SOFT_LOCKUP)).extracting(Finding::kind).containsExactly(Finding.Kind.SOFT_LOCKUP);
        assertThat(scan(ConsoleSamples.HARD_LOCKUP)).extracting(Finding::kind).containsExactly(Finding.Kind.HARD_LOCKUP);
        assertThat(scan(ConsoleSamples.RCU_STALL)).extracting(Finding::kind).containsExactly(Finding.Kind.RCU_STALL);
        assertThat(scan(ConsoleSamples.HUNG_TASK)).extracting(Finding::kind).containsExactly(Finding.Kind.HUNG_TASK);
        assertThat(scan(ConsoleSamples.KASAN)).extracting(Finding::kind).containsExactly(Finding.Kind.KASAN);
        assertThat(scan(ConsoleSamples.UBSAN)).extracting(Finding::kind).containsExactly(Finding.Kind.UBSAN);
        assertThat(scan(ConsoleSamples.KERNEL_BUG_AT)).extracting(Finding::kind).containsExactly(Finding.Kind.BUG);
    }

    @Test
    void serialGarbageIsTolerated() {
        assertThat(scan("\u0000\u0000\r[   12.0] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n"))
                .singleElement().satisfies(f -> assertThat(f.text()).startsWith("[   12.0] Kernel panic"));
    }

    @Test
    void taintLetters() {
        assertThat(ConsoleScanner.taintLetters(0)).isEqualTo("none");
        assertThat(ConsoleScanner.taintLetters(512)).isEqualTo("W");
        assertThat(ConsoleScanner.taintLetters(512 + 128)).isEqualTo("DW");
    }
}
