package dev.ringvm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the ringvm command line in-process and keeps what it printed (stdout and stderr apart). */
final class Cli {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }
}
