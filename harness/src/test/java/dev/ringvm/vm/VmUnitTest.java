package dev.ringvm.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmUnitTest {
    @Test
    void classify() {
        Duration limit = Duration.ofSeconds(5);
        assertThat(Vm.classify(true, 0, limit, Duration.ofSeconds(5), "")).isEqualTo(new VmExit.TimedOut(limit));
        assertThat(Vm.classify(false, 0, limit, Duration.ofSeconds(2), "")).isEqualTo(new VmExit.PoweredOff(Duration.ofSeconds(2)));
        assertThat(Vm.classify(false, 1, limit, Duration.ofSeconds(2), "a\nqemu: bad option\n"))
                .isEqualTo(new VmExit.QemuFailed(1, "a\nqemu: bad option"));
    }

    @Test
    void tailKeepsLastLines() {
        assertThat(Vm.tail("1\n2\n3\n4\n", 2)).isEqualTo("3\n4");
        assertThat(Vm.tail("", 2)).isEmpty();
    }

    @Test
    void tailBufferIsBounded() {
        TailBuffer b = new TailBuffer(4);
        b.write("abcdef".getBytes(), 0, 6);
        assertThat(b.text()).isEqualTo("cdef");
        b.write('g');
        assertThat(b.text()).isEqualTo("defg");
    }

    @Test
    void resolveOnPath(@TempDir Path dir) throws Exception {
        Path q = dir.resolve("qemu-system-x86_64");
        Files.writeString(q, "#!/bin/sh\n");
        q.toFile().setExecutable(true);
        assertThat(Vm.resolveOnPath("qemu-system-x86_64", "/nonexistent:" + dir)).contains(q);
        assertThat(Vm.resolveOnPath("qemu-system-x86_64", "/nonexistent")).isEmpty();
        assertThat(Vm.resolveOnPath(q.toString(), null)).contains(q);
        assertThat(Vm.resolveOnPath(dir.resolve("nope").toString(), null)).isEmpty();
    }
}
