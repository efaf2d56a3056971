package dev.ringvm.progress;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** CI logs: a timestamped line per message and per stage change, never one per case. */
class PlainViewTest {

    @Test
    void oneLinePerStageChange() {
        FakeClock clock = new FakeClock();
        StringWriter sink = new StringWriter();
        ProgressView view = ProgressView.plain(new PrintWriter(sink), clock);
        Task kernel = Task.kernel("debian-6.12");
        Task vm = Task.vm("debian-6.12-512M", "debian-6.12", "512M", 0);
        view.progress(new ProgressEvent.StageChanged(kernel, Stage.RESOLVING, ""));
        view.log("debian-6.12: 6.12.1 (apt)");
        view.progress(new ProgressEvent.Dropped(kernel));
        view.progress(new ProgressEvent.Planned(1, 1));
        clock.at(1);
        view.progress(new ProgressEvent.StageChanged(vm, Stage.BOOTING, "6.12.1 with 512 MiB"));
        clock.at(3);
        view.progress(new ProgressEvent.StageChanged(vm, Stage.STARTING, ""));
        clock.at(4);
        view.progress(new ProgressEvent.Probing(vm, 0, 75));
        for (int i = 1; i <= 75; i++) view.progress(new ProgressEvent.Probing(vm, i, 75));
        clock.at(123.45);
        view.progress(new ProgressEvent.Finished(vm, "done in 122.4 s, 75 cases, 75 passed"));
        view.close();
        assertThat(sink.toString()).isEqualTo("""
                [   0.0s] kernel debian-6.12: resolving
                [   0.0s] debian-6.12: 6.12.1 (apt)
                [   1.0s] debian-6.12-512M: booting 6.12.1 with 512 MiB
                [   3.0s] debian-6.12-512M: starting the probe
                [   4.0s] debian-6.12-512M: probing 75 cases
                [ 123.5s] debian-6.12-512M: done in 122.4 s, 75 cases, 75 passed
                """);
    }

    @Test
    void aVmWhoseHeaderArrivesWithItsFirstCaseStillSaysProbingOnce() {
        StringWriter sink = new StringWriter();
        ProgressView view = ProgressView.plain(new PrintWriter(sink), new FakeClock());
        Task vm = Task.vm("a-512M", "a", "512M", 0);
        view.progress(new ProgressEvent.Probing(vm, 7, 75));
        view.progress(new ProgressEvent.Probing(vm, 8, 75));
        assertThat(sink.toString()).isEqualTo("[   0.0s] a-512M: probing 75 cases\n");
    }
}
