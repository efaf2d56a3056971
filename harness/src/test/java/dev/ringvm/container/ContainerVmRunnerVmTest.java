package dev.ringvm.container;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.config.KernelSource;

import dev.ringvm.run.ContainerVmRunner;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.Tools;
import dev.ringvm.run.QemuVmRunner;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.vm.Accel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU failing inside the container is a QEMU_FAILED VM whose reason quotes QEMU's last line, as with the default
 * runner. Needs docker (and builds the QEMU image on first use, with debootstrap from the Debian archive).
 */
@Tag("vm")
@Requires({Capability.DOCKER, Capability.DEBOOTSTRAP, Capability.DEBIAN_ARCHIVE})
class ContainerVmRunnerVmTest {

    @Test
    void qemuFailureQuotesQemusLastLineAndRemovesTheContainer(@TempDir Path dir) throws Exception {
        DockerClient docker = Docker.client();
        QemuImage.Result image = QemuImage.ensure(docker, CacheDirs.root(), ContainerRecipe.bundled(), System.err::println);
        Path kernel = Files.writeString(dir.resolve("not-a-kernel"), "hello\n");
        Path initramfs = Files.writeString(dir.resolve("initramfs.cpio"), "x");
        Path vmDir = Files.createDirectories(dir.resolve("bogus-512M"));
        VmJob job = new VmJob(new ResolvedKernel("bogus", new KernelSource.PathSource(kernel), kernel, "ab".repeat(32), "6.12.0",
                "6.12.0 (test)", null, null), 512);
        VmResult r = new ContainerVmRunner(docker, image.tag(), initramfs, Accel.TCG, Duration.ofSeconds(60), "default", null)
                .run(job, vmDir, "n0nce");
        assertThat(r.status()).isEqualTo(VmResult.Status.QEMU_FAILED);
        assertThat(r.detail()).startsWith("qemu exited 1: qemu").contains("kernel").doesNotContain("\n");
        assertThat(r.accel()).isEqualTo("tcg");
        if (Tools.onPath("qemu-system-x86_64")) { // the default runner says the same about the same files
            Path hostDir = Files.createDirectories(dir.resolve("host-512M"));
            VmResult host = new QemuVmRunner("qemu-system-x86_64", initramfs, Accel.TCG, Duration.ofSeconds(60), "default", null)
                    .run(job, hostDir, "n0nce");
            assertThat(r.status()).isEqualTo(host.status());
            assertThat(r.detail()).isEqualTo(host.detail());
        }
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of("dev.ringvm.vm")).exec()).isEmpty();
    }
}
