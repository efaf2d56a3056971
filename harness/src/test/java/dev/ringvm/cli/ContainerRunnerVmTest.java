package dev.ringvm.cli;

import dev.ringvm.testing.Poll;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.config.KernelSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.ringvm.run.ContainerVmRunner;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.model.VmJob;
import dev.ringvm.vm.Accel;
import dev.ringvm.container.Docker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same kernel booted by both runners gives the same cells: `ringvm run --runner qemu` and `--runner container`
 * on Debian's 6.12 cloud kernel at 512 MiB, compared case by case (outcome, errno, ring works, verdict); then a
 * container VM that hits its timeout is reported as TIMEOUT and leaves no container behind.
 * Needs QEMU and docker ({@link Requires}: skipped without them, failed under CI).
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DOCKER, Capability.DEBOOTSTRAP, Capability.DEBIAN_ARCHIVE})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerRunnerVmTest {

    private final Cli qemu = new Cli();
    private final Cli container = new Cli();
    private int qemuExit;
    private int containerExit;
    private JsonNode qemuReport;
    private JsonNode containerReport;
    private DockerClient docker;
    private Path yaml;
    private Path dir;

    @BeforeAll
    void bootWithBothRunners(@TempDir Path dir) throws Exception {
        this.dir = dir;
        docker = Docker.client();
        yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M]
                kernels:
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        qemuExit = qemu.run("run", "--kernels", yaml.toString(), "--out", dir.resolve("qemu").toString(), "--jobs", "1");
        containerExit = container.run("run", "--runner", "container", "--kernels", yaml.toString(),
                "--out", dir.resolve("container").toString(), "--jobs", "1");
        System.err.println(qemu.err);
        System.err.println(container.err);
        qemuReport = new ObjectMapper().readTree(dir.resolve("qemu/report.json").toFile());
        containerReport = new ObjectMapper().readTree(dir.resolve("container/report.json").toFile());
    }

    @Test
    void bothRunnersCompleteTheVmWithTheSameExitCode() {
        assertThat(containerExit).as(container.err.toString()).isZero().isEqualTo(qemuExit);
        for (JsonNode r : List.of(qemuReport, containerReport)) {
            assertThat(r.path("vms")).hasSize(1).allMatch(v -> v.path("status").asText().equals("COMPLETE"));
            assertThat(r.path("vms").get(0).path("release").asText()).startsWith("6.12.");
        }
        assertThat(containerReport.path("run").path("accel").asText()).isEqualTo(qemuReport.path("run").path("accel").asText());
        assertThat(container.err.toString()).contains("qemu image ringvm/qemu:").contains("docker ");
    }

    @Test
    void sameCellsSameOutcomesSameVerdicts() {
        Map<String, String> q = cells(qemuReport);
        Map<String, String> c = cells(containerReport);
        assertThat(q).hasSize(dev.ringvm.probe.Grid.defaultGrid().size());
        assertThat(c).isEqualTo(q);
        assertThat(rows(containerReport)).isEqualTo(rows(qemuReport));
        assertThat(containerReport.path("run").path("exitCode").asInt()).isEqualTo(qemuReport.path("run").path("exitCode").asInt());
    }

    @Test
    void aContainerVmThatHitsItsTimeoutIsReportedAndRemoved() throws Exception {
        Cli cli = new Cli();
        Path out = dir.resolve("timeout");
        int exit = cli.run("run", "--runner", "container", "--kernels", yaml.toString(), "--out", out.toString(),
                "--timeout", "3s");
        assertThat(exit).as(cli.err.toString()).isEqualTo(3);
        JsonNode vm = new ObjectMapper().readTree(out.resolve("report.json").toFile()).path("vms").get(0);
        assertThat(vm.path("status").asText()).isEqualTo("TIMEOUT");
        assertThat(vm.path("detail").asText()).startsWith("killed after the 3 s timeout");
        assertThat(vm.path("wallSeconds").asDouble()).isLessThan(30);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void interruptingTheRunnerKillsAndRemovesTheContainer() throws Exception {
        JsonNode vm = qemuReport.path("vms").get(0);
        Path kernel = CacheDirs.kernelImage(CacheDirs.root(), vm.path("imageSha256").asText());
        Matcher guest = Pattern.compile("guest image (/\\S+)").matcher(container.err.toString());
        Matcher image = Pattern.compile("qemu image (ringvm/qemu:[0-9a-f]+)").matcher(container.err.toString());
        assertThat(guest.find() && image.find()).as(container.err.toString()).isTrue();
        assertThat(kernel).isRegularFile();
        assertThat(Path.of(guest.group(1))).isRegularFile();
        ContainerVmRunner runner = new ContainerVmRunner(docker, image.group(1), Path.of(guest.group(1)),
                Accel.valueOf(vm.path("accel").asText().toUpperCase()), Duration.ofSeconds(120), "default", null);
        VmJob job = new VmJob(new ResolvedKernel("debian-6.12", new KernelSource.PathSource(kernel), kernel, vm.path("imageSha256").asText(),
                vm.path("imageRelease").asText(), vm.path("imageRelease").asText(), null, null), 512);
        Path vmDir = Files.createDirectories(dir.resolve("interrupted"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                runner.run(job, vmDir, "n0nce");
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Path console = vmDir.resolve("console.log");
        // interrupt mid-boot, the way Ctrl-C meets most VMs: QEMU runs and the kernel is writing its console
        Poll.until(Duration.ofSeconds(60), () -> !t.isAlive() || console.toFile().length() > 0,
                () -> "the VM's console in " + vmDir);
        assertThat(leftovers()).as("the VM's container runs (runner ended with %s)", thrown.get()).hasSize(1);
        t.interrupt();
        t.join(Duration.ofSeconds(30));
        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void noContainerOutlivesItsVm() {
        assertThat(leftovers()).isEmpty();
    }

    private List<String> leftovers() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of("dev.ringvm.vm")).exec().stream()
                .map(c -> c.getId() + " " + c.getStatus()).toList();
    }

    /** kernel/memory/case -> what was observed and judged, for every case cell. */
    private static Map<String, String> cells(JsonNode report) {
        Map<String, String> m = new TreeMap<>();
        report.path("cells").forEach(c -> m.put(c.path("kernel").asText() + "/" + c.path("memoryMiB").asInt() + "/"
                        + c.path("id").asText(),
                c.path("result").asText() + " errno=" + c.path("errno").asText() + " ringWorks=" + c.path("ringWorks").asText()
                        + " fallbackOk=" + c.path("fallbackOk").asText() + " " + c.path("verdict").asText()
                        + " (" + c.path("outcome").asText() + ")"));
        return m;
    }

    /** Each row's cell, verdict and column verdicts. */
    private static Map<String, String> rows(JsonNode report) {
        Map<String, String> m = new TreeMap<>();
        report.path("rows").forEach(r -> m.put(r.path("cell").asText(), r.path("verdict").asText() + " " + r.path("columns")));
        return m;
    }
}
