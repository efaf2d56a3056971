package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void networkEventsAreTheResolversFetchLines() {
        assertThat(BenchCommand.isNetworkFetch("apt: updating package lists for trixie")).isTrue();
        assertThat(BenchCommand.isNetworkFetch("apt: downloading linux-image-6.12.117 from trixie")).isTrue();
        assertThat(BenchCommand.isNetworkFetch("kernel debian-6.12: fetching pinned linux-image 6.12.117-1")).isTrue();
        assertThat(BenchCommand.isNetworkFetch("kernel debian-6.12: linux-image-6.12.117-1 from kernels.lock (cached)")).isFalse();
    }

    @Test
    void machineLinesNameCoresCpuMemoryQemuAndJdk() {
        var lines = BenchCommand.machine("/nonexistent/qemu-system-x86_64");
        assertThat(lines.get(0)).matches("host: \\d+ cores \\(.*\\), \\d+ GiB, Linux .*");
        assertThat(lines.get(1)).startsWith("qemu: /nonexistent/qemu-system-x86_64: ").contains("harness JDK 25");
    }

    @Test
    void badArgumentsAreUsageErrorsNamingTheOption() {
        Cli r = new Cli();
        assertThat(r.run("bench", "--repeat", "0")).isEqualTo(2);
        assertThat(r.err.toString()).contains("--repeat: must be at least 1, got 0");
        Cli k = new Cli();
        assertThat(k.run("bench", "--kernel", "no-such-kernel", "--kernels",
                TestKernels.repo().resolve("kernels.yaml").toString())).isEqualTo(2);
        assertThat(k.err.toString()).contains("no kernel with id \"no-such-kernel\" (--kernel)");
    }

    @Test
    @Requires(Capability.BUSYBOX) // bench checks for the guest image's busybox before it resolves the kernel
    void anUnavailableKernelIsAnInfraErrorNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // bench checks that QEMU exists and asks its version; nothing boots before the kernel is resolved
        java.nio.file.Path qemu = java.nio.file.Files.writeString(dir.resolve("qemu-system-x86_64"),
                "#!/bin/sh\necho 'QEMU emulator version 0 (stand-in)'\n");
        qemu.toFile().setExecutable(true);
        java.nio.file.Path yaml = java.nio.file.Files.writeString(dir.resolve("kernels.yaml"),
                "memory: [512M]\nkernels:\n  - id: gone\n    source: { mainline: v6.5 }\n");
        Cli cli = new Cli();
        // port 9 (discard) on loopback: nothing listens, the connection is refused at once
        assertThat(cli.run("bench", "--kernels", yaml.toString(), "--kernel", "gone", "--mainline-base",
                "http://127.0.0.1:9/", "--qemu", qemu.toString(), "--cache", dir.resolve("cache").toString(), "--out",
                dir.resolve("out").toString())).isEqualTo(3);
        assertThat(cli.err.toString()).contains("ringvm: --kernel gone: ");
        assertThat(cli.out.toString()).doesNotContain("boot:");
    }
}
