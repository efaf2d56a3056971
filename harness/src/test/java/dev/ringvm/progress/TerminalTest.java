package dev.ringvm.progress;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTest {
    private static final Map<String, String> XTERM = Map.of("TERM", "xterm-256color");

    @Test
    void autoIsLiveOnlyForATerminalStderrThatCanMoveTheCursor() {
        assertThat(Terminal.choose(Terminal.Choice.AUTO, XTERM, "/dev/pts/3")).isEqualTo(Terminal.Mode.TTY);
        assertThat(Terminal.choose(Terminal.Choice.AUTO, XTERM, "/dev/tty2")).isEqualTo(Terminal.Mode.TTY);
        assertThat(Terminal.choose(Terminal.Choice.AUTO, Map.of("TERM", "dumb"), "/dev/pts/3")).isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose(Terminal.Choice.AUTO, Map.of(), "/dev/pts/3")).as("no TERM (cron, CI)").isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose(Terminal.Choice.AUTO, XTERM, "pipe:[48213]")).isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose(Terminal.Choice.AUTO, XTERM, "/tmp/ringvm.log")).isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose(Terminal.Choice.AUTO, XTERM, "/dev/null")).isEqualTo(Terminal.Mode.PLAIN);
        assertThat(Terminal.choose(Terminal.Choice.AUTO, XTERM, null)).as("fd 2 unreadable").isEqualTo(Terminal.Mode.PLAIN);
    }

    @Test
    void ttyAndPlainAreForced() {
        assertThat(Terminal.choose(Terminal.Choice.TTY, Map.of(), "pipe:[1]")).isEqualTo(Terminal.Mode.TTY);
        assertThat(Terminal.choose(Terminal.Choice.PLAIN, XTERM, "/dev/pts/0")).isEqualTo(Terminal.Mode.PLAIN);
    }

    @Test
    void exportedColumnsAndLinesWin() {
        assertThat(Terminal.size(Map.of("COLUMNS", "132", "LINES", "50"))).isEqualTo(new Terminal.Size(132, 50));
    }
}
