package dev.ringvm.run;

import dev.ringvm.config.KernelSource;

import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import dev.ringvm.model.ResolvedKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostProbeRunnerTest {

    @TempDir
    Path dir;

    private static ResolvedKernel host() {
        return new ResolvedKernel("here", new KernelSource.HostSource(), null, null, "6.18.0", "6.18.0 #1", null, null);
    }

    @Test
    void argvRunsTheProbeJarWithNativeAccess() {
        HostProbeRunner r = new HostProbeRunner(Path.of("/jdk/bin/java"), Path.of("/p.jar"), Duration.ofSeconds(5), "default", "sq.*");
        assertThat(r.argv(Path.of("/o/results.log"), "n1")).containsExactly("/jdk/bin/java",
                "--enable-native-access=ALL-UNNAMED", "-jar", "/p.jar", "--out", "/o/results.log", "--nonce", "n1",
                "--grid", "default", "--only", "sq.*");
    }

    @Test
    void hostJobIsOneJobNamedHost() {
        VmJob j = VmJob.onHost(host());
        assertThat(j.onHost()).isTrue();
        assertThat(j.memoryMiB()).isZero();
        assertThat(j.name()).isEqualTo("here-host");
        assertThat(j.memoryLabel()).isEqualTo("host");
    }

    @Test
    void aProbeThatFailsToStartIsIncompleteWithItsExitCode() throws Exception {
        // /bin/false stands in for java: exits 1 without writing a record
        HostProbeRunner r = new HostProbeRunner(Path.of("/bin/false"), Path.of("/p.jar"), Duration.ofSeconds(5), null, null);
        VmResult v = r.run(VmJob.onHost(host()), dir, "n1");
        assertThat(v.status()).isEqualTo(VmResult.Status.INCOMPLETE);
        assertThat(v.detail()).startsWith("probe exited 1: ").contains("probe did not start");
        assertThat(v.accel()).isEqualTo("host");
        assertThat(dir.resolve("console.log")).exists();
    }

    @Test
    void routingSendsHostJobsToTheHostRunner() throws Exception {
        List<String> seen = new ArrayList<>();
        VmRunner hostR = (job, d, n) -> { seen.add("host " + job.name()); return null; };
        VmRunner vmR = (job, d, n) -> { seen.add("vm " + job.name()); return null; };
        RoutingVmRunner r = new RoutingVmRunner(hostR, vmR);
        r.run(VmJob.onHost(host()), dir, "n");
        Path img = Files.writeString(dir.resolve("bz"), "x");
        r.run(new VmJob(new ResolvedKernel("k", new KernelSource.PathSource(img), img, "00", "6.1", "6.1", null, null), 512), dir, "n");
        assertThat(seen).containsExactly("host here-host", "vm k-512M");
    }
}
