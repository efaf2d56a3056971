package dev.ringvm.cli;

import dev.ringvm.model.ExitCode;
import picocli.CommandLine;

import java.io.PrintWriter;

/** Entry point: {@code ringvm run ...}. Exit codes per DESIGN.md (0, 1, 2 usage/config, 3 infra, 4 internal). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(newCommandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args));
    }

    /** The seam tests use to capture stdout (machine output) and stderr (messages). */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RingvmCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(ExitCodes::forException);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("ringvm: " + ExitCodes.message(ex));
            return ExitCodes.forException(ex);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("ringvm: " + ex.getMessage());
            ex.getCommandLine().getErr().println("usage: " + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help");
            return ExitCode.USAGE.code();
        });
        return cl;
    }
}
