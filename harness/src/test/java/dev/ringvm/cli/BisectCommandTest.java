package dev.ringvm.cli;

import dev.ringvm.host.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors of ringvm bisect, repro and shell: exit 2 and one line naming the option and the value. */
class BisectCommandTest {

    private static Path repo(Path dir) throws Exception {
        Path r = Files.createDirectories(dir.resolve("repo"));
        for (List<String> argv : List.of(List.of("init", "-q", "-b", "main", "."), List.of("config", "user.email", "t@example.invalid"),
                List.of("config", "user.name", "t"), List.of("commit", "-q", "--allow-empty", "-m", "one"),
                List.of("commit", "-q", "--allow-empty", "-m", "two"))) {
            List<String> full = new java.util.ArrayList<>(List.of("git", "-C", r.toString()));
            full.addAll(argv);
            assertThat(ProcessRunner.run(full, Duration.ofMinutes(1)).ok()).as(full.toString()).isTrue();
        }
        return r;
    }

    private static String fail(Cli cli, String... args) {
        assertThat(cli.run(args)).as(cli.err.toString()).isEqualTo(2);
        return cli.err.toString().lines().findFirst().orElse("");
    }

    @Test
    void bisectNamesWhatIsMissingOrWrong(@TempDir Path dir) throws Exception {
        Path r = repo(dir);
        String frag = TestKernels.repo().resolve("vm-images/kernel-config/ringvm-guest.config").toString();
        assertThat(fail(new Cli(), "bisect")).isEqualTo("ringvm: bisect: give --tree PATH --good REF --bad REF, or --kernels FILE, or --resume DIR");
        assertThat(fail(new Cli(), "bisect", "--tree", r.toString(), "--good", "HEAD~1"))
                .isEqualTo("ringvm: --tree: needs --good REF and --bad REF");
        assertThat(fail(new Cli(), "bisect", "--tree", r.toString(), "--good", "nope", "--bad", "HEAD", "--fragments", frag))
                .isEqualTo("ringvm: --good: \"nope\" is not a commit in " + r.toAbsolutePath());
        assertThat(fail(new Cli(), "bisect", "--tree", r.toString(), "--good", "HEAD", "--bad", "HEAD~1", "--fragments", frag))
                .isEqualTo("ringvm: --good HEAD must be an ancestor of --bad HEAD~1 (for the other direction use --fix)");
        assertThat(fail(new Cli(), "bisect", "--tree", r.toString(), "--good", "HEAD~1", "--bad", "HEAD", "--fragments",
                dir.resolve("missing.config").toString()))
                .isEqualTo("ringvm: --fragments: " + dir.resolve("missing.config") + " is not a file");
        assertThat(fail(new Cli(), "bisect", "--tree", r.toString(), "--good", "HEAD~1", "--bad", "HEAD", "--fragments", frag,
                "--only", "sq4$")).startsWith("ringvm: --only: \"sq4$\" cannot travel on the kernel command line");
        assertThat(fail(new Cli(), "bisect", "--resume", dir.toString()))
                .isEqualTo("ringvm: --resume: no bisect.json in " + dir);
        assertThat(fail(new Cli(), "bisect", "--resume", dir.toString(), "--tree", r.toString()))
                .startsWith("ringvm: --resume: takes its tree, refs and kernels from ");
    }

    @Test
    void reproAndShellNameWhatIsMissing(@TempDir Path dir) throws Exception {
        assertThat(fail(new Cli(), "repro", dir.toString(), "k-512M")).startsWith("ringvm: CELL: expected <kernel>-<memory>/<case id>");
        assertThat(fail(new Cli(), "repro", dir.toString(), "k-512M/memalign/sq1"))
                .startsWith("ringvm: RUN_DIR: " + dir + " is not a readable run directory");
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n  - id: here\n    source: { host: true }\n");
        Cli shell = new Cli();
        int exit = shell.run("shell", "nope", "--kernels", yaml.toString());
        if (RunCommand.onPath("qemu-system-x86_64") && Files.isExecutable(Path.of("/bin/busybox"))) {
            assertThat(exit).as(shell.err.toString()).isEqualTo(2);
            assertThat(shell.err.toString()).startsWith("ringvm: KERNEL: \"nope\" is neither a file nor a kernel id of "
                    + yaml + " (ids: [here])");
            Cli host = new Cli();
            assertThat(host.run("shell", "here", "--kernels", yaml.toString())).isEqualTo(2);
            assertThat(host.err.toString()).startsWith("ringvm: KERNEL: here is the host kernel; a shell needs a VM");
        } else {
            assertThat(exit).as(shell.err.toString()).isEqualTo(3);
        }
    }
}
