package dev.ringvm.run;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.ringvm.container.ContainerPlan;
import dev.ringvm.container.Docker;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.vm.Accel;
import dev.ringvm.vm.Vm;
import dev.ringvm.vm.VmExit;
import dev.ringvm.vm.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.DockerStatus;

/**
 * Boots a VM job with QEMU inside a container of the local {@link QemuImage}, started through Testcontainers:
 * the default runner's QEMU argv with paths mapped to bind mounts ({@link ContainerPlan}), network mode none,
 * /dev/kvm only under KVM. The per-VM timeout kills the container; the container is removed afterwards, also when
 * the thread is interrupted (Ctrl-C). Results are read and classified exactly as {@link QemuVmRunner} does.
 */
public final class ContainerVmRunner implements VmRunner {
    /** How often the container's state is polled while QEMU runs. */
    static final Duration POLL = Duration.ofMillis(200);

    private final DockerClient docker;
    private final String image;
    private final Duration timeout;
    private final QemuVmRunner runner;

    public ContainerVmRunner(DockerClient docker, String image, Path initramfs, Accel accel, Duration timeout,
                             String grid, String only) {
        this.docker = docker;
        this.image = image;
        this.timeout = timeout;
        this.runner = new QemuVmRunner(this::boot, initramfs, accel, timeout, grid, only);
    }

    /** The default runner's spec, results and classification; only the boot happens in a container. */
    @Override
    public VmResult run(VmJob job, Path vmDir, String nonce) throws InterruptedException {
        return runner.run(job, vmDir, nonce);
    }

    private VmExit boot(VmJob job, VmSpec spec, Path vmDir) throws InterruptedException {
        for (Path f : List.of(spec.kernel(), spec.initramfs())) {
            if (!Files.isRegularFile(f)) return new VmExit.QemuFailed(-1, "not a file: " + f);
        }
        ContainerPlan plan = ContainerPlan.of(spec, vmDir, currentUser());
        try (GenericContainer<?> c = container(plan, job.name())) {
            try {
                c.start();
            } catch (RuntimeException e) {
                if (Thread.interrupted() || causedByInterrupt(e)) { // Ctrl-C while starting: close() removes it
                    throw new InterruptedException("interrupted while starting " + job.name());
                }
                return new VmExit.QemuFailed(-1, "container did not start: " + Docker.firstLine(e));
            }
            long started = System.nanoTime();
            if (Thread.interrupted()) throw new InterruptedException("interrupted while starting " + job.name());
            long deadline = started + timeout.toNanos();
            Optional<Long> code;
            String output;
            try {
                while ((code = exitCode(c.getContainerId())).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(POLL); // interruptible: Ctrl-C lands here, and close() below kills the container
                }
                if (code.isEmpty()) {
                    return Vm.classify(true, -1, timeout, Duration.ofNanos(System.nanoTime() - started), "");
                }
                output = c.getLogs(); // QEMU's stdout and stderr
            } catch (RuntimeException e) { // the daemon went away mid-run
                return new VmExit.QemuFailed(-1, "lost the container: " + Docker.firstLine(e));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            return Vm.classify(false, code.get().intValue(), timeout, elapsed, output); // keeps QEMU's last lines
        }
    }

    static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException) return true;
        }
        return false;
    }

    /** The container's exit code once it has stopped, empty while it runs. */
    private Optional<Long> exitCode(String id) {
        InspectContainerResponse.ContainerState state;
        try {
            state = docker.inspectContainerCmd(id).exec().getState();
        } catch (NotFoundException e) {
            return Optional.of(-1L);
        }
        if (state == null || !DockerStatus.isContainerStopped(state)) return Optional.empty();
        return Optional.of(state.getExitCodeLong() == null ? -1L : state.getExitCodeLong());
    }

    @SuppressWarnings("resource") // closed by the caller's try-with-resources
    private GenericContainer<?> container(ContainerPlan plan, String name) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(img -> false) // built locally; there is no registry to pull from
                .withNetworkMode("none")
                .withLabel("dev.ringvm.vm", name)
                .withCommand(plan.argv().toArray(String[]::new))
                .withStartupAttempts(1)
                .withStartupCheckStrategy(new Started())
                .waitingFor(new AbstractWaitStrategy() {
                    @Override
                    protected void waitUntilReady() {
                        // nothing listens: QEMU talks only through the files in the VM directory
                    }
                });
        c.withCreateContainerCmdModifier(cmd -> {
            HostConfig hc = cmd.getHostConfig() == null ? HostConfig.newHostConfig() : cmd.getHostConfig();
            hc.withBinds(plan.binds().stream()
                    .map(b -> new Bind(b.host().toString(), new Volume(b.container()), b.readOnly() ? AccessMode.ro : AccessMode.rw))
                    .toList());
            if (plan.kvm()) {
                hc.withDevices(Device.parse("/dev/kvm"));
                kvmGroup().ifPresent(g -> hc.withGroupAdd(List.of(g)));
            }
            cmd.withHostConfig(hc).withUser(plan.user());
        });
        return c;
    }

    /** Started is enough: QEMU may already have powered off by the first check, with any exit code. */
    private static final class Started extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient client, String containerId) {
            InspectContainerResponse.ContainerState s = getCurrentState(client, containerId);
            return Boolean.TRUE.equals(s.getRunning()) || DockerStatus.isContainerStopped(s)
                    ? StartupStatus.SUCCESSFUL : StartupStatus.NOT_YET_KNOWN;
        }
    }

    /** {@code uid:gid} of this process, from /proc/self/status; {@code 0:0} when unreadable. */
    static String currentUser() {
        try {
            String uid = "0";
            String gid = "0";
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) uid = l.substring(4).strip().split("\\s+")[0];
                if (l.startsWith("Gid:")) gid = l.substring(4).strip().split("\\s+")[0];
            }
            return uid + ":" + gid;
        } catch (IOException e) {
            return "0:0";
        }
    }

    private static Optional<String> kvmGroup() {
        try {
            return Optional.of(String.valueOf(Files.getAttribute(Path.of("/dev/kvm"), "unix:gid")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
