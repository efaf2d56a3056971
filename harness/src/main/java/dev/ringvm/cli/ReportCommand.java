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
        Judgement j = RunDirectory.render(load(dir));
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
