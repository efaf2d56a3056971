package dev.ringvm.progress;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The live region's exact lines for a given state and time: columns, stages, truncation, folding, ETA. */
class LiveFrameTest {

    private static final Task A = Task.vm("debian-6.12-512M", "debian-6.12", "512M", 0);
    private static final Task B = Task.vm("debian-6.1-2048M-r2", "debian-6.1", "2048M", 1);

    private final ProgressModel model = new ProgressModel(FakeClock.T0);

    private void at(double seconds, ProgressEvent e) {
        model.apply(e, t(seconds));
    }

    private static Instant t(double seconds) {
        return FakeClock.T0.plusMillis(Math.round(seconds * 1000));
    }

    @Test
    void oneLinePerRunningVmThenTheOverallLine() {
        at(0, new ProgressEvent.Planned(4, 2));
        at(1, new ProgressEvent.StageChanged(A, Stage.BOOTING, "6.12.1 with 512 MiB"));
        at(2, new ProgressEvent.StageChanged(B, Stage.BOOTING, ""));
        at(4, new ProgressEvent.StageChanged(A, Stage.STARTING, ""));
        at(5, new ProgressEvent.Probing(A, 12, 75));
        assertThat(LiveFrame.render(model.snapshot(), t(10), 80, 10)).containsExactly(
                "  debian-6.12  512M      probing case 12 of 75     9.0s",
                "  debian-6.1   2048M r2  booting                   8.0s",
                "done 0/4 VMs, elapsed 10.0s, ETA --");
    }

    @Test
    void stagesReadAsWords() {
        at(0, new ProgressEvent.StageChanged(A, Stage.STARTING, ""));
        assertThat(line(A)).isEqualTo("starting the probe");
        at(1, new ProgressEvent.Probing(A, 0, 75));
        assertThat(line(A)).isEqualTo("probing, 75 cases");
        at(1, new ProgressEvent.Probing(A, 3, -1));
        assertThat(line(A)).as("an old probe's header without a case count").isEqualTo("probing case 3");
        at(2, new ProgressEvent.Finished(A, "done"));
        assertThat(model.snapshot().running()).isEmpty();
        at(3, new ProgressEvent.Probing(A, 4, 75));
        assertThat(model.snapshot().running()).as("a late case event does not bring a finished VM back").isEmpty();
    }

    private String line(Task task) {
        return LiveFrame.stage(model.snapshot().running().stream().filter(e -> e.task().equals(task)).findFirst().orElseThrow());
    }

    @Test
    void preparatoryStepsHaveNoMemoryColumnAndTheRunIsNotPlannedYet() {
        at(0, new ProgressEvent.StageChanged(Task.kernel("debian-6.12"), Stage.RESOLVING, ""));
        at(0.5, new ProgressEvent.StageChanged(Task.step("guest image"), Stage.BUILDING, ""));
        assertThat(LiveFrame.render(model.snapshot(), t(75.25), 80, 10)).containsExactly(
                "  debian-6.12  resolving    1m15s",
                "  guest image  building     1m14s",
                "preparing, elapsed 1m15s");
    }

    @Test
    void linesAreCutToTheWidth() {
        at(0, new ProgressEvent.Planned(1, 1));
        at(0, new ProgressEvent.StageChanged(Task.vm("x", "a-kernel-with-a-very-long-id-from-a-vendor", "512M", 0),
                Stage.BOOTING, ""));
        List<String> wide = LiveFrame.render(model.snapshot(), t(3), 200, 10);
        List<String> narrow = LiveFrame.render(model.snapshot(), t(3), 30, 10);
        assertThat(narrow).hasSize(2).allMatch(l -> l.length() <= 30);
        assertThat(narrow.get(0)).isEqualTo(wide.get(0).substring(0, 30));
        assertThat(narrow.get(1)).isEqualTo("done 0/1 VMs, elapsed 3.0s, ET");
    }

    @Test
    void tasksBeyondTheLineLimitFoldIntoOneLine() {
        at(0, new ProgressEvent.Planned(8, 4));
        for (int i = 0; i < 4; i++) at(0, new ProgressEvent.StageChanged(Task.vm("k" + i, "k" + i, "512M", 0), Stage.BOOTING, ""));
        assertThat(LiveFrame.render(model.snapshot(), t(1), 80, 3)).containsExactly(
                "  k0  512M  booting     1.0s",
                "  ... and 3 more",
                "done 0/8 VMs, elapsed 1.0s, ETA --");
    }

    @Test
    void etaSpreadsTheRemainingWorkOverTheWorkers() {
        // two VMs finished in 10 s and 20 s: 15 s each on average
        at(0, new ProgressEvent.Planned(5, 2));
        vm("a", 0, 10);
        vm("b", 0, 20);
        at(20, new ProgressEvent.StageChanged(Task.vm("c", "c", "512M", 0), Stage.BOOTING, ""));
        // c needs 15 - 5 = 10 s more, two queued VMs 15 s each: (10 + 30) / 2 workers = 20 s
        assertThat(model.snapshot().eta(t(25))).contains(Duration.ofSeconds(20));
        assertThat(LiveFrame.overall(model.snapshot(), t(25))).isEqualTo("done 2/5 VMs, elapsed 25.0s, ETA 20s");
    }

    @Test
    void etaIsNeverShorterThanTheSlowestRunningVm() {
        at(0, new ProgressEvent.Planned(3, 2));
        vm("a", 0, 10);
        vm("b", 0, 20);
        at(20, new ProgressEvent.StageChanged(Task.vm("c", "c", "512M", 0), Stage.BOOTING, ""));
        // the last VM runs alone: 10 s of work over 2 workers would say 5 s, but it needs 10 s by itself
        assertThat(model.snapshot().eta(t(25))).contains(Duration.ofSeconds(10));
        // past the mean: nothing left to estimate, not a negative time
        assertThat(LiveFrame.overall(model.snapshot(), t(50))).endsWith("ETA 0s");
    }

    @Test
    void etaIsUnknownUntilOneVmFinished() {
        at(0, new ProgressEvent.Planned(3, 1));
        at(0, new ProgressEvent.StageChanged(Task.vm("a", "a", "512M", 0), Stage.BOOTING, ""));
        assertThat(model.snapshot().eta(t(100))).isEmpty();
        // a dropped VM (Ctrl-C) is not a finished one
        at(1, new ProgressEvent.Dropped(Task.vm("a", "a", "512M", 0)));
        assertThat(LiveFrame.overall(model.snapshot(), t(2))).isEqualTo("done 0/3 VMs, elapsed 2.0s, ETA --");
    }

    private void vm(String id, double from, double to) {
        Task task = Task.vm(id, id, "512M", 0);
        at(from, new ProgressEvent.StageChanged(task, Stage.BOOTING, ""));
        at(to, new ProgressEvent.Finished(task, "done"));
    }

    @Test
    void durationsReadShortAndEtaRoundsUp() {
        assertThat(LiveFrame.elapsed(Duration.ofMillis(4_249))).isEqualTo("4.2s");
        assertThat(LiveFrame.elapsed(Duration.ofSeconds(187))).isEqualTo("3m07s");
        assertThat(LiveFrame.elapsed(Duration.ofMinutes(62))).isEqualTo("1h02m");
        assertThat(LiveFrame.eta(Duration.ofMillis(300))).isEqualTo("1s");
        assertThat(LiveFrame.eta(Duration.ofSeconds(125))).isEqualTo("2m05s");
    }
}
