package dev.ringvm.cli;

import picocli.CommandLine.Command;

@Command(name = "ringvm", mixinStandardHelpOptions = true, version = "ringvm 0.1.0",
        description = "Boots kernels in QEMU and reports what io_uring NO_MMAP(+CQSIZE) ring setup does on each.",
        subcommands = {RunCommand.class, KernelsCommand.class, ReportCommand.class, DiffCommand.class, MergeCommand.class,
                BenchCommand.class, BisectCommand.class, ReproCommand.class, ShellCommand.class})
final class RingvmCommand {
}
