package dev.ringvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** kernels.yaml snippets for VM tests that boot kernels built from the repository's recipes. */
final class TestKernels {
    private TestKernels() {}

    /** The repository root (where vm-images/ lives), found upwards from the test's working directory. */
    static Path repo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("vm-images/patches"))) return d;
        }
        throw new AssertionError("vm-images/ not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * A {@code build:} source: Debian's linux-source-6.12 with the guest config fragment and one patch from
     * vm-images/patches. Built once and cached under the user cache directory, so reruns are instant.
     */
    static String build(String patch) {
        Path r = repo();
        return "{ build: { debian-source: linux-source-6.12, config: tinyconfig, fragments: ["
                + r.resolve("vm-images/kernel-config/ringvm-guest.config") + "], patches: ["
                + r.resolve("vm-images/patches").resolve(patch) + "] } }";
    }

    /** What {@link #runAt512M} left: the run's exit code, what the command line printed, the run directory. */
    record Run(int exit, Cli cli, Path dir) {}

    /**
     * One kernel, {@code id}, built with {@code patch} ({@link #build}), resolved first with {@code ringvm kernels}
     * (so a run's timeout measures the VM only, and a failed build fails here), then run at 512M under TCG into
     * {@code dir}/run with {@code runArgs} added; prints what the run printed.
     */
    static Run runAt512M(Path dir, String id, String patch, String... runArgs) throws IOException {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n"
                + "  - id: " + id + "\n    source: " + build(patch) + "\n");
        Cli cli = new Cli();
        assertThat(cli.run("kernels", "--kernels", yaml.toString())).as(cli.err.toString()).isZero();
        Path runDir = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("run", "--kernels", yaml.toString(), "--out", runDir.toString(),
                "--accel", "tcg"));
        args.addAll(List.of(runArgs));
        int exit = cli.run(args.toArray(String[]::new));
        System.out.println(cli.out);
        return new Run(exit, cli, runDir);
    }
}
