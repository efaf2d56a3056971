package dev.ringvm.probe;

import dev.ringvm.probe.ffm.Abi;
import dev.ringvm.probe.ffm.LibC;
import dev.ringvm.probe.protocol.CaseSpec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * {@code java -jar ring-init-probe.jar --out PATH|- --nonce NONCE [--grid default] [--only REGEX]}.
 * Exit 0 when the grid ran (whatever the cases did), 2 for bad arguments, 1 for an architecture whose system call
 * numbers the probe does not know (before any record) or an unexpected exception
 * (no {@code end} record then: a crash must look like one).
 */
public final class Main {
    private Main() {}

    static final String USAGE = "usage: ring-init-probe --out PATH|- --nonce NONCE [--grid default] [--only REGEX]";

    /** Parsed command line. */
    record Args(String out, String nonce, String grid, String only) {}

    /** Parses argv; throws IllegalArgumentException with a message for bad input. */
    static Args parse(String[] argv) {
        String out = null, nonce = null, grid = Grid.DEFAULT, only = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = argv[++i];
            switch (a) {
                case "--out" -> out = v;
                case "--nonce" -> nonce = v;
                case "--grid" -> grid = v;
                case "--only" -> only = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (out == null || nonce == null) {
            throw new IllegalArgumentException("--out and --nonce are required");
        }
        if (nonce.isEmpty()) {
            throw new IllegalArgumentException("--nonce must not be empty");
        }
        if (Grid.named(grid, Grid.FOUR_KIB) == null) {
            throw new IllegalArgumentException("unknown grid " + grid);
        }
        if (only != null) {
            try {
                java.util.regex.Pattern.compile(only);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad --only regex: " + e.getDescription());
            }
        }
        return new Args(out, nonce, grid, only);
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.err));
    }

    static int run(String[] argv, PrintStream err) {
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("ring-init-probe: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            Abi.current(); // system call numbers: an architecture without them stops here, before any record
        } catch (IllegalStateException e) {
            err.println(e.getMessage()); // "ring-init-probe does not know the system call numbers of os.arch ..."
            return 1;
        }
        try (OutputStream out = "-".equals(args.out())
                ? new FileOutputStream(FileDescriptor.out)
                : new FileOutputStream(args.out())) {
            List<CaseSpec> cases = Grid.filter(Grid.named(args.grid(), LibC.getpagesize()), args.only());
            Probe.run(args.nonce(), args.grid(), cases, Probe.Sink.of(out));
            return 0;
        } catch (Throwable t) {
            t.printStackTrace(err);
            return 1;
        }
    }
}
