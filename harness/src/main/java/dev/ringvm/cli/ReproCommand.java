package dev.ringvm.cli;

import dev.ringvm.repro.Repro;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "repro", mixinStandardHelpOptions = true,
        description = "Write a bug-report directory for one case of a run: a standalone C reproducer, its static build,"
                + " a one-case initramfs and QEMU script, and a README.")
final class ReproCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory (ringvm run --out).")
    Path runDir;

    @Parameters(index = "1", paramLabel = "CELL", description = "<kernel>-<memory>/<case id>, e.g. repro-6.5-512M/memalign/sq65.")
    String cell;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: RUN_DIR/repro/<cell>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : runDir.resolve("repro").resolve(cell.replaceAll("[^A-Za-z0-9._-]", "_"));
        Repro.write(runDir, cell, dir);
        spec.commandLine().getOut().println(dir);
        spec.commandLine().getErr().println("ringvm: wrote repro.c, build.sh, mkinitramfs.sh, run-qemu.sh and README.md to " + dir);
        return 0;
    }
}
