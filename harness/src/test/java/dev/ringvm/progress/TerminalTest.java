package dev.ringvm.progress;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TerminalTest {
    private static final Map<String, String> XTERM = Map.of("TERM", "xterm-256color");

    @Test
    void autoIsLiveOnlyForATerminalStderrThatCanMoveTheCursor() {
        assertThat(Terminal.choose("auto", XTERM, "/dev/pts/3")).isEqualTo(Terminal.Mode.TTY);
        assertThat(Terminal.choose("auto", XTERM, "/dev/tty2")).isEqualTo(Terminal.Mode.TTY);
        assertThat(Terminal.choose("auto", Map.of("TERM", "dumb"), "/dev/pts/3")).isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose("auto", Map.of(), "/dev/pts/3")).as("no TERM (cron, CI)").isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose("auto", XTERM, "pipe:[48213]")).isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose("auto", XTERM, "/tmp/ringvm.log")).isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose("auto", XTERM, "/dev/null")).isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose("auto", XTERM, null)).as("fd 2 unreadable").isEqualTo(Terminal.Mode.PLAIN);
    }

    @Test
    void ttyAndPlainAreForced() {
        assertThat(Terminal.choose("tty", Map.of(), "pipe:[1]")).isEqualTo(Terminal.Mode.TTY);
        assertThat(Terminal.choose("plain", XTERM, "/dev/pts/0")).isEqualTo(Terminal.Mode.PLAIN);
        assertThatThrownBy(() -> Terminal.choose("fancy", XTERM, null)).hasMessageContaining("\"fancy\"");
    }

    @Test
    void exportedColumnsAndLinesWin() {
        assertThat(Terminal.size(Map.of("COLUMNS", "132", "LINES", "50"))).isEqualTo(new Terminal.Size(132, 50));
    }
}
