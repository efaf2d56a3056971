package dev.ringvm.cli;

import dev.ringvm.model.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Entry point: {@code ringvm run ...}. Exit codes per DESIGN.md (0, 1, 2 usage/config, 3 infra, 4 internal). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        dev.ringvm.host.Signals.install(); // the footer and run.json name the signal that stopped a run
        System.exit(newCommandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args));
    }

    /** The seam tests use to capture stdout (machine output) and stderr (messages). */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new RingvmCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --runner qemu, --accel KVM, --progress plain
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(ExitCodes::forException);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("ringvm: " + Messages.line(ExitCodes.message(ex)));
            return ExitCodes.forException(ex);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            if (ex.getCause() instanceof CommandLine.TypeConversionException && ex.getArgSpec() instanceof OptionSpec o
                    && o.type().isEnum()) {
                ex.getCommandLine().getErr().println("ringvm: " + o.longestName() + ": expected " + choices(o.type())
                        + ", got \"" + Messages.clip(ex.getValue()) + "\"");
                return ExitCode.USAGE.code();
            }
            ex.getCommandLine().getErr().println("ringvm: " + Messages.line(ex.getMessage()));
            ex.getCommandLine().getErr().println("usage: " + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help");
            return ExitCode.USAGE.code();
        });
        return cl;
    }

    /** An enum option's values as typed: {@code qemu, container or vng}. */
    static String choices(Class<?> enumType) {
        List<String> names = Arrays.stream(enumType.getEnumConstants())
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList();
        return names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }
}
