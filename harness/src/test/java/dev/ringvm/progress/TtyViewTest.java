package dev.ringvm.progress;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees on the terminal (through {@link Screen}) while the live view runs and after it ends. */
class TtyViewTest {

    private final FakeClock clock = new FakeClock();
    private final StringWriter sink = new StringWriter();
    /** Not started: no redraw thread, no shutdown hook; the test calls tick() as the thread would. */
    private final TtyView view = new TtyView(new PrintWriter(sink), clock, 60, 10);
    private final Task a = Task.vm("debian-6.12-512M", "debian-6.12", "512M", 0);

    private Screen screen() {
        return new Screen(60).feed(sink.toString());
    }

    @Test
    void logLinesGoAboveTheRegion() {
        view.progress(new ProgressEvent.Planned(2, 2));
        view.progress(new ProgressEvent.StageChanged(a, Stage.BOOTING, ""));
        view.log("first message");
        clock.at(1.5);
        view.tick();
        assertThat(screen().lines()).containsExactly(
                "[   0.0s] first message",
                "  debian-6.12  512M  booting     1.5s",
                "done 0/2 VMs, elapsed 1.5s, ETA --");
        assertThat(screen().cursorVisible).as("hidden while the region is drawn").isFalse();
        clock.at(2);
        view.log("second message");
        view.progress(new ProgressEvent.Probing(a, 3, 75));
        view.tick();
        assertThat(screen().lines()).containsExactly(
                "[   0.0s] first message",
                "[   2.0s] second message",
                "  debian-6.12  512M  probing case 3 of 75     2.0s",
                "done 0/2 VMs, elapsed 2.0s, ETA --");
    }

    @Test
    void aFinishedVmLeavesItsSummaryAboveAndItsLineGoes() {
        view.progress(new ProgressEvent.Planned(2, 2));
        view.progress(new ProgressEvent.StageChanged(a, Stage.BOOTING, ""));
        view.tick();
        clock.at(20);
        view.progress(new ProgressEvent.Finished(a, "done in 20.0 s, 75 passed"));
        assertThat(screen().lines()).containsExactly(
                "[  20.0s] debian-6.12-512M: done in 20.0 s, 75 passed",
                "done 1/2 VMs, elapsed 20.0s, ETA 20s");
    }

    @Test
    void regionContentChangesOnlyOnTicksNotWithEveryLogLine() {
        view.progress(new ProgressEvent.StageChanged(a, Stage.BOOTING, ""));
        view.tick();
        clock.advance(Duration.ofSeconds(1));
        view.progress(new ProgressEvent.Probing(a, 1, 75));
        view.log("a message");
        assertThat(screen().lines()).as("the region as last drawn, below the new line").containsExactly(
                "[   1.0s] a message",
                "  debian-6.12  512M  booting     0.0s",
                "preparing, elapsed 0.0s");
        view.tick();
        assertThat(screen().lines()).containsExactly(
                "[   1.0s] a message",
                "  debian-6.12  512M  probing case 1 of 75     1.0s",
                "preparing, elapsed 1.0s");
    }

    @Test
    void longLogLinesWrapAboveWhileRegionLinesAreCut() {
        Task wide = Task.vm("x", "k".repeat(80), "512M", 0);
        view.progress(new ProgressEvent.StageChanged(wide, Stage.BOOTING, ""));
        view.tick();
        String longLine = "y".repeat(100);
        view.log(longLine);
        view.tick();
        Screen s = screen();
        assertThat(s.lines()).containsExactly(
                "[   0.0s] " + "y".repeat(50),
                "y".repeat(50),
                "  " + "k".repeat(58),
                "preparing, elapsed 0.0s");
        assertThat(s.autowrap).as("auto-wrap is back on between writes").isTrue();
    }

    @Test
    void closeErasesTheRegionAndShowsTheCursor() {
        view.progress(new ProgressEvent.StageChanged(a, Stage.BOOTING, ""));
        view.log("kept");
        view.tick();
        view.close();
        view.close();
        view.log("after close: a plain line");
        view.tick();
        Screen s = screen();
        assertThat(s.lines()).containsExactly("[   0.0s] kept", "[   0.0s] after close: a plain line");
        assertThat(s.cursorVisible).isTrue();
        assertThat(s.autowrap).isTrue();
        assertThat(s.col).isZero();
    }

    @Test
    void aShrinkingRegionLeavesNoStaleLines() {
        Task b = Task.vm("b-512M", "b", "512M", 0);
        view.progress(new ProgressEvent.StageChanged(a, Stage.BOOTING, ""));
        view.progress(new ProgressEvent.StageChanged(b, Stage.BOOTING, ""));
        view.tick();
        view.progress(new ProgressEvent.Dropped(a));
        view.progress(new ProgressEvent.Dropped(b));
        view.tick();
        assertThat(screen().lines()).containsExactly("preparing, elapsed 0.0s");
    }
}
