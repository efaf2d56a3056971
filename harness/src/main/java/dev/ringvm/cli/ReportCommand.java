package dev.ringvm.cli;

import dev.ringvm.report.RunDirectory;
import dev.ringvm.report.TerminalMatrix;
import dev.ringvm.model.RunSummary;
import dev.ringvm.verdict.Judgement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-render every report of a run directory (report.json, junit.xml, report.md, report.html) "
                + "with the current expectation model, print the matrix, exit with the run's verdict exit code.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory written by ringvm run.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new dev.ringvm.config.ConfigException(dir + ": not a run directory (no such directory)");
        }
        if (dev.ringvm.host.DirectoryLock.holder(dir).isPresent()) {
            // its writer is still at work: the reports it writes after every VM are the current ones
            throw new dev.ringvm.config.ConfigException(dir + ": in use by a running ringvm ("
                    + dev.ringvm.host.DirectoryLock.holder(dir).orElseThrow() + "); its reports are rewritten after every VM");
        }
        RunSummary summary = load(dir);
        Judgement j;
        try (dev.ringvm.host.DirectoryLock _ = RunDirs.claim("", dir, "ringvm report")) {
            j = RunDirectory.render(summary);
        }
        if (summary.context().stop() != null && !summary.context().stop().bySignal()) {
            spec.commandLine().getErr().println("ringvm: " + dir + ": the run stopped early: " + summary.context().stop().reason());
        }
        spec.commandLine().getOut().print(TerminalMatrix.render(j, TerminalMatrix.colourWanted()));
        spec.commandLine().getOut().flush();
        return j.exitCode().code();
    }

    static RunSummary load(Path dir) throws dev.ringvm.config.ConfigException {
        try {
            return RunDirectory.read(dir);
        } catch (IOException | RuntimeException e) {
            throw new dev.ringvm.config.ConfigException(dir + ": cannot read run directory: " + e.getMessage());
        }
    }
}
