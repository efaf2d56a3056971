package dev.ringvm.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void parsesAllOptions() {
        Main.Args a = Main.parse(new String[] {"--out", "-", "--nonce", "abc", "--grid", "default", "--only", "^anon/"});
        assertThat(a).isEqualTo(new Main.Args("-", "abc", "default", "^anon/"));
        assertThat(Main.parse(new String[] {"--nonce", "x", "--out", "/dev/ttyS1"}).grid()).isEqualTo("default");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--out", "-"})).hasMessageContaining("--nonce");
        assertThatThrownBy(() -> Main.parse(new String[] {"--out"})).hasMessageContaining("missing value");
        assertThatThrownBy(() -> Main.parse(new String[] {"--out", "-", "--nonce", "n", "--grid", "x"}))
                .hasMessageContaining("unknown grid");
        assertThatThrownBy(() -> Main.parse(new String[] {"--out", "-", "--nonce", "n", "--only", "("}))
                .hasMessageContaining("regex");
        assertThatThrownBy(() -> Main.parse(new String[] {"--bogus", "1"})).hasMessageContaining("unknown option");
    }

    @Test
    void badArgumentsExitWith2AndUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"--nonce"}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
    }

    @Test
    void unwritableOutputExitsWith1() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"--out", "/nonexistent-dir/x", "--nonce", "n"},
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("FileNotFoundException");
    }

    @Test
    void anArchitectureWithoutSystemCallNumbersExitsWith1BeforeAnyRecord(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.nio.file.Path out = dir.resolve("results");
        String arch = System.getProperty("os.arch");
        int rc;
        try {
            System.setProperty("os.arch", "riscv64");
            rc = Main.run(new String[] {"--out", out.toString(), "--nonce", "n"}, new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setProperty("os.arch", arch);
        }
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ring-init-probe does not know the"
                + " system call numbers of os.arch \"riscv64\": it runs on x86_64 (amd64) and aarch64 (arm64)"
                + System.lineSeparator());
        assertThat(out).doesNotExist();
    }
}
