package dev.ringvm.cli;

import dev.ringvm.config.ConfigException;
import dev.ringvm.config.ConfigLoader;
import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.config.MatrixConfig;
import dev.ringvm.guest.GuestImage;
import dev.ringvm.guest.ProbeJar;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.kernel.KernelResolver;
import dev.ringvm.kernel.KernelUnavailableException;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.vm.AccelChoice;
import dev.ringvm.vm.ConsoleSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "Boot a kernel with the guest image and an interactive shell on the console (probe --only CASE"
                + " at hand); leaves when the shell exits or on Ctrl-].")
final class ShellCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions sources;

    @Mixin
    VmOptions vm;

    @Parameters(index = "0", paramLabel = "KERNEL", description = "A kernel id of the kernels file, or a kernel image file.")
    String kernel;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "512M", description = "Guest memory (default: ${DEFAULT-VALUE}).")
    String memory;

    @Override
    public Integer call() throws Exception {
        RunCommand.Log log = new RunCommand.Log(spec.commandLine().getErr());
        List<Integer> mem = ConfigLoader.parseMemoryList(memory);
        if (mem.size() != 1) throw new ConfigException("--memory: one size for a shell, got \"" + memory + "\"");
        Path cacheRoot = CacheDirs.root(sources.cache);
        ResolvedKernel k = resolve(cacheRoot, log);
        String qemu = vm.qemuFor(k.arch());
        RunCommand.requireTools(RunnerKind.QEMU, qemu, k.arch());
        GuestImage image = GuestImage.builder(cacheRoot, ProbeJar.locate(cacheRoot)).arch(k.arch()).events(log::line)
                .build();
        AccelChoice accel = RunCommand.accel(RunnerKind.QEMU, vm.accel, k.arch(), qemu, cacheRoot, k, log::line);
        log.line(k.id() + ": " + k.release() + " (" + k.arch().id() + ", " + (k.pageKiB() == 0 ? "?" : k.pageKiB())
                + " KiB pages), " + mem.getFirst() + " MiB, accel " + accel.accel().name().toLowerCase(Locale.ROOT)
                + " (" + accel.reason() + ")");
        List<String> argv = ConsoleSession.argv(qemu, k.arch(), k.pageKiB() == 0 ? 4 : k.pageKiB(), k.image(),
                image.path(), mem.getFirst(), accel.accel(), List.of("ringvm.nonce=shell", "ringvm.shell=1"));
        spec.commandLine().getErr().flush();
        ConsoleSession.End end = ConsoleSession.run(argv, System.in,
                new java.io.FileOutputStream(java.io.FileDescriptor.out), log::line);
        log.line(end == ConsoleSession.End.ESCAPED ? "left with Ctrl-]: the VM is stopped" : "the guest powered off");
        return 0;
    }

    private ResolvedKernel resolve(Path cacheRoot, RunCommand.Log log) throws Exception {
        Path file = Path.of(kernel);
        KernelResolver resolver;
        if (Files.isRegularFile(file) && sources.kernels == null) {
            // a path source is used in place and never pinned: the lock file is not written
            resolver = new KernelResolver(cacheRoot, cacheRoot.resolve("shell-kernels.lock"), log::line);
            try {
                return resolver.resolve(new KernelEntry("shell", new KernelSource.PathSource(file.toAbsolutePath())));
            } catch (KernelUnavailableException e) {
                throw new ConfigException("KERNEL: " + kernel + ": " + e.getMessage());
            }
        }
        MatrixConfig matrix = ConfigLoader.load(sources.kernelsFile());
        KernelEntry entry = matrix.kernels().stream().filter(e -> e.id().equals(kernel)).findFirst().orElseThrow(() ->
                new ConfigException("KERNEL: \"" + kernel + "\" is neither a file nor a kernel id of " + matrix.file()
                        + " (ids: " + matrix.kernels().stream().map(KernelEntry::id).toList() + ")"));
        if (entry.source() instanceof KernelSource.HostSource) {
            throw new ConfigException("KERNEL: " + kernel + " is the host kernel; a shell needs a VM");
        }
        try {
            return sources.resolver(cacheRoot, matrix.file(), log::line).resolve(entry);
        } catch (KernelUnavailableException e) {
            throw new InfraException("kernel " + kernel + " unavailable: " + e.getMessage(), e);
        }
    }
}
