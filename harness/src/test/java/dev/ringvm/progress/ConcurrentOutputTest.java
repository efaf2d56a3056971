package dev.ringvm.progress;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads log and report progress at once (as VM workers, the follower and the redraw thread do): every
 * line that reaches the terminal is whole, none is lost, and each thread's lines keep their order.
 */
class ConcurrentOutputTest {
    private static final int THREADS = 8;
    private static final int LINES = 300;
    private static final Pattern ESCAPE = Pattern.compile("\u001b\\[\\??\\d*[A-Za-z]");
    private static final Pattern LOG = Pattern.compile("\\[ *\\d+\\.\\ds] (t\\d+ line \\d+ x+|t\\d+-512M: done in \\d+)");
    private static final Pattern REGION = Pattern.compile(
            "  t\\d+ +512M +(booting|probing case \\d+ of \\d+) +\\d+\\.\\ds|  \\.\\.\\. and \\d+ more|done \\d+/\\d+ VMs, elapsed \\d+\\.\\ds, ETA (--|\\d+s)"
            // the redraw thread may draw before the first event arrives
            + "|preparing, elapsed \\d+\\.\\ds");

    @Test
    void plainLinesAreWhole() throws Exception {
        StringWriter sink = new StringWriter();
        hammer(ProgressView.plain(new PrintWriter(sink), InstantSource.system()));
        List<String> lines = sink.toString().lines().toList();
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("\\[ *\\d+\\.\\ds] t\\d+(-512M)?.*"));
        assertEveryLogLineOnceInOrder(lines);
    }

    @Test
    void liveRegionLinesAndLogLinesAreWhole() throws Exception {
        StringWriter sink = new StringWriter();
        TtyView view = new TtyView(new PrintWriter(sink), InstantSource.system(), 120, 6).start();
        hammer(view);
        String raw = sink.toString();
        // every piece between newlines, escapes and carriage returns removed, is one whole line of either kind
        for (String piece : raw.split("\n")) {
            String text = ESCAPE.matcher(piece).replaceAll("").replace("\r", "");
            if (text.isEmpty()) continue;
            assertThat(LOG.matcher(text).matches() || REGION.matcher(text).matches()).as(text).isTrue();
        }
        Screen screen = new Screen(120).feed(raw);
        assertThat(screen.cursorVisible).isTrue();
        assertEveryLogLineOnceInOrder(screen.lines());
    }

    private static void hammer(ProgressView view) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        view.progress(new ProgressEvent.Planned(THREADS, 4));
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                Task task = Task.vm("t" + id + "-512M", "t" + id, "512M", 0);
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                view.progress(new ProgressEvent.StageChanged(task, Stage.BOOTING, ""));
                for (int i = 0; i < LINES; i++) {
                    view.log("t" + id + " line " + i + " " + "x".repeat(1 + (i * 7 + id) % 60));
                    view.progress(new ProgressEvent.Probing(task, i + 1, LINES));
                    if (i % 50 == 0 && view instanceof TtyView tty) tty.tick();
                }
                view.progress(new ProgressEvent.Finished(task, "done in " + id));
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        view.close();
    }

    private static void assertEveryLogLineOnceInOrder(List<String> lines) {
        for (int thread = 0; thread < THREADS; thread++) {
            int t = thread;
            String prefix = "] t" + t + " line ";
            List<Integer> seen = lines.stream().filter(l -> l.contains(prefix))
                    .map(l -> Integer.parseInt(l.substring(l.indexOf(prefix) + prefix.length()).split(" ")[0])).toList();
            assertThat(seen).as("thread " + t).containsExactlyElementsOf(java.util.stream.IntStream.range(0, LINES).boxed().toList());
            assertThat(lines).as("thread " + t + " finished").anyMatch(l -> l.endsWith("t" + t + "-512M: done in " + t));
        }
    }
}
