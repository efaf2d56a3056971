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
}
