package dev.ringvm.bisect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The other end of the step command that {@code git bisect run} starts: a loopback socket that the command connects
 * to with the commit it stands on ({@code TOKEN SHA}) and from which it reads its exit code. So every step runs in
 * this process (one guest image, one accelerator choice, one progress output) while git keeps its own engine and its
 * exit-code contract. The token keeps other local processes from answering for the bisect.
 */
final class StepServer implements AutoCloseable {
    /** How the served process is polled while no step connects. */
    private static final Duration POLL = Duration.ofMillis(200);
    /** Exit code that makes git bisect run abort (above 127). */
    static final int ABORT = 128;

    /** Answers one step: the commit's full hash in, the step command's exit code out. */
    @FunctionalInterface
    interface Handler {
        int answer(String commit) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;
    private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));

    StepServer() throws IOException {
        socket = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        socket.setSoTimeout((int) POLL.toMillis());
    }

    /** The step command's script: bash's /dev/tcp to this socket; exit 128 (abort) when it cannot reach it. */
    String script() {
        return """
                #!/bin/bash
                # ringvm bisect step: asks the ringvm process running this bisect to build, boot and judge HEAD.
                # Exit code as git bisect run reads it: 0 good (old), 1 bad (new), 125 skip, 128 abort.
                exec 3<>/dev/tcp/127.0.0.1/%d || exit 128
                printf '%%s %%s\\n' %s "$(git rev-parse HEAD)" >&3 || exit 128
                IFS= read -r code <&3 || exit 128
                exit "${code:-128}"
                """.formatted(socket.getLocalPort(), token);
    }

    /**
     * Answers steps until {@code process} has ended. A step that throws gets {@link #ABORT} (git stops) and the
     * exception is rethrown once git has ended; an interrupt kills the process.
     */
    void serve(Process process, Handler handler) throws IOException, InterruptedException {
        IOException failure = null;
        try {
            while (process.isAlive()) {
                if (Thread.interrupted()) throw new InterruptedException();
                Socket s;
                try {
                    s = socket.accept();
                } catch (SocketTimeoutException e) {
                    continue;
                }
                try (s) {
                    s.setSoTimeout((int) Duration.ofMinutes(1).toMillis());
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line = in.readLine();
                    String[] parts = line == null ? new String[0] : line.strip().split(" ");
                    int code;
                    if (parts.length != 2 || !parts[0].equals(token) || !parts[1].matches("[0-9a-f]{40,64}")) {
                        code = ABORT;
                    } else if (failure != null) {
                        code = ABORT;
                    } else {
                        try {
                            code = handler.answer(parts[1]);
                        } catch (IOException e) {
                            failure = e;
                            code = ABORT;
                        }
                    }
                    Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
                    out.write(code + "\n");
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
        if (failure != null) throw failure;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
