package dev.ringvm.run;

import dev.ringvm.progress.ProgressEvent;
import dev.ringvm.progress.ProgressListener;
import dev.ringvm.progress.Stage;
import dev.ringvm.progress.Task;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what running VMs write into progress events: the console's {@code ringvm: probe starting} (the init
 * script started the probe), then the results channel's header and begin records (case i of n). Works for every
 * runner that puts {@code console.log} and {@code results.log} in the VM directory; one thread polls all VMs.
 */
final class VmFollower implements AutoCloseable {
    static final Duration POLL = Duration.ofMillis(250);
    /** The init script's line before it starts the probe's JVM (vm-images/init). */
    static final String PROBE_STARTING = "ringvm: probe starting";

    private final ProgressListener listener;
    private final String nonce;
    private final Map<String, Watch> watched = new LinkedHashMap<>();
    private Thread thread;

    private static final class Watch {
        final Task task;
        final FileTail console;
        final ResultsFollower results;
        boolean starting;

        Watch(Task task, Path vmDir, String nonce, boolean onHost) {
            Instant since = Instant.now().minusSeconds(1); // mtime granularity; a leftover is older than that
            this.task = task;
            this.console = onHost ? null : new FileTail(vmDir.resolve("console.log"), since);
            this.results = new ResultsFollower(vmDir.resolve("results.log"), nonce, since);
            this.starting = onHost;
        }
    }

    VmFollower(ProgressListener listener, String nonce) {
        this.listener = listener;
        this.nonce = nonce;
    }

    VmFollower start() {
        thread = Thread.ofPlatform().daemon().name("ringvm-follow").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(POLL);
                    pollAll();
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
        return this;
    }

    synchronized void watch(Task task, Path vmDir, boolean onHost) {
        watched.put(task.id(), new Watch(task, vmDir, nonce, onHost));
    }

    /** After this returns no further event about {@code task} comes from here (polls hold the same lock). */
    synchronized void unwatch(Task task) {
        watched.remove(task.id());
    }

    synchronized void pollAll() {
        for (Watch w : List.copyOf(watched.values())) {
            try {
                poll(w);
            } catch (IOException | RuntimeException e) {
                // progress is best effort: the result comes from the files after the VM ends, not from here
            }
        }
    }

    private void poll(Watch w) throws IOException {
        if (!w.starting && w.console != null) {
            for (String line : w.console.newLines()) {
                if (line.contains(PROBE_STARTING)) {
                    w.starting = true;
                    listener.progress(new ProgressEvent.StageChanged(w.task, Stage.STARTING, ""));
                    break;
                }
            }
        }
        if (w.results.poll() && w.results.started()) {
            listener.progress(new ProgressEvent.Probing(w.task, w.results.begun(), w.results.cases()));
        }
    }

    @Override
    public void close() {
        if (thread != null) thread.interrupt();
    }
}
