package dev.ringvm.cli;

import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Base of the in-process command tests: a temporary directory, the CLI with its captured output, a matrix file. */
abstract class CommandTest {
    @TempDir
    Path dir;

    final Cli cli = new Cli();
    final StringWriter out = cli.out;
    final StringWriter err = cli.err;

    int run(String... args) {
        return cli.run(args);
    }

    /** Writes {@code text} as dir/kernels.yaml. */
    Path yaml(String text) throws Exception {
        return Files.writeString(dir.resolve("kernels.yaml"), text);
    }
}
