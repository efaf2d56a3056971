package dev.ringvm.kernel;

import dev.ringvm.host.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * HTTP(S) downloads with the JDK client: a connect timeout, a read (stall) timeout enforced by a watchdog that
 * closes the body stream when no byte arrived for that long, a size limit ({@code --max-download}: a
 * Content-Length above it is refused before any byte is read, a body without one is cut at it), progress lines
 * every 10% or every few seconds, and nothing half-written left behind: the body goes to a temp file that is hashed
 * while it is written, checked against Content-Length, and only then renamed into place by the caller.
 */
final class HttpFetcher {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    /** The largest download by default: 1 GiB (Debian's and Ubuntu's kernel .debs are 10-150 MiB). */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** The largest text resource (a directory page, a CHECKSUMS file). */
    static final long MAX_TEXT_BYTES = 16L << 20;
    /** A progress line at least this often, also when the total size is unknown. */
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** A finished download in a temp file: its sha256 and size. */
    public record Download(Path file, String sha256, long bytes) {}

    /** The server answered with a status other than 200 (404 means: no such file or directory). */
    public static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        HttpStatusException(URI uri, int status) {
            super(uri + ": HTTP " + status + (status == 404 ? " (not found)" : ""));
            this.status = status;
        }

        public int status() { return status; }
    }

    /**
     * The body is (or would be) larger than the limit; nothing of it is kept. Not a plausible kernel package: it
     * fails the run like any other integrity failure.
     */
    static final class TooLargeException extends KernelIntegrityException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) { super(message); }
    }

    private final HttpClient client;
    private final Duration readTimeout;
    private final long maxBytes;

    public HttpFetcher() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    public HttpFetcher(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, DEFAULT_MAX_BYTES);
    }

    /** @param maxBytes the largest body {@link #download} accepts */
    public HttpFetcher(Duration connectTimeout, Duration readTimeout, long maxBytes) {
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.readTimeout = readTimeout;
        this.maxBytes = maxBytes;
    }

    /** A fetcher with the default timeouts and {@code maxBytes} as its download limit. */
    public static HttpFetcher limitedTo(long maxBytes) {
        return new HttpFetcher(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, maxBytes);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The body of a small text resource (a directory page, a checksum file); empty on 404. */
    public Optional<String> text(URI uri) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(readTimeout).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new IOException(uri + ": no answer within " + readTimeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new IOException(uri + ": " + describe(e), e);
        }
        try (InputStream in = resp.body()) {
            if (resp.statusCode() == 404) return Optional.empty();
            if (resp.statusCode() != 200) throw new HttpStatusException(uri, resp.statusCode());
            long limit = Math.min(maxBytes, MAX_TEXT_BYTES);
            long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > limit) throw tooLarge(uri, declared, limit);
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit) throw tooLarge(uri, -1, limit);
            return Optional.of(new String(body, StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new IOException(uri + ": no answer within " + readTimeout.toSeconds() + " s", e);
        }
    }

    /**
     * Downloads {@code uri} into a new temp file in {@code tmpDir}; on any failure the temp file is deleted.
     * The caller verifies the hash and renames the file (or deletes it).
     */
    public Download download(URI uri, Path tmpDir, String label, Consumer<String> log)
            throws IOException, InterruptedException {
        Files.createDirectories(tmpDir);
        Path tmp = dev.ringvm.host.TempDirs.createFile(tmpDir, ".download-", ".part");
        boolean ok = false;
        try {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(readTimeout).GET().build();
            HttpResponse<InputStream> resp;
            try {
                resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new IOException(uri + ": no answer within " + readTimeout.toSeconds() + " s", e);
            } catch (IOException e) {
                throw new IOException(uri + ": " + describe(e), e);
            }
            if (resp.statusCode() != 200) {
                resp.body().close();
                throw new HttpStatusException(uri, resp.statusCode());
            }
            long total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (total > maxBytes) {
                resp.body().close(); // refused before a byte is read
                throw tooLarge(uri, total, maxBytes);
            }
            Download d = copy(uri, resp.body(), tmp, total, label, log);
            ok = true;
            return d;
        } finally {
            if (!ok) Files.deleteIfExists(tmp);
        }
    }

    private Download copy(URI uri, InputStream body, Path tmp, long total, String label, Consumer<String> log)
            throws IOException {
        MessageDigest md = Sha256.digest();
        AtomicLong lastByte = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("download-watchdog").factory());
        long period = Math.max(50, readTimeout.toMillis() / 4);
        ScheduledFuture<?> check = watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastByte.get() > readTimeout.toNanos() && stalled.compareAndSet(false, true)) {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // closing is how the blocked read is interrupted; its own failure changes nothing
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        long bytes = 0;
        try (InputStream in = body; OutputStream out = Files.newOutputStream(tmp)) {
            log.accept(label + ": downloading " + uri + (total >= 0 ? " (" + mib(total) + ")" : ""));
            byte[] buf = new byte[1 << 16];
            long lastReport = System.nanoTime();
            int lastDecile = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n == 0) continue;
                lastByte.set(System.nanoTime());
                if (bytes + n > maxBytes) throw tooLarge(uri, -1, maxBytes);
                out.write(buf, 0, n);
                md.update(buf, 0, n);
                bytes += n;
                int decile = total > 0 ? (int) (bytes * 10 / total) : 0;
                long now = System.nanoTime();
                if ((decile > lastDecile && decile < 10) || now - lastReport > PROGRESS_NANOS) {
                    log.accept(label + ": " + mib(bytes) + (total > 0 ? " of " + mib(total) + " (" + (bytes * 100 / total) + "%)" : ""));
                    lastDecile = Math.max(lastDecile, decile);
                    lastReport = now;
                }
            }
        } catch (TooLargeException e) {
            throw e;
        } catch (IOException e) {
            if (stalled.get()) {
                throw new IOException(uri + ": no data for " + readTimeout.toSeconds() + " s after " + bytes + " bytes", e);
            }
            throw new IOException(uri + ": download failed after " + bytes + " bytes"
                    + (total >= 0 ? " of " + total : "") + ": " + describe(e), e);
        } finally {
            check.cancel(false);
            watchdog.shutdownNow();
        }
        if (stalled.get()) {
            throw new IOException(uri + ": no data for " + readTimeout.toSeconds() + " s after " + bytes + " bytes");
        }
        if (total >= 0 && bytes != total) {
            throw new IOException(uri + ": truncated download: " + bytes + " of " + total + " bytes");
        }
        log.accept(label + ": downloaded " + mib(bytes));
        return new Download(tmp, Sha256.hex(md), bytes);
    }

    private static TooLargeException tooLarge(URI uri, long declared, long limit) {
        return new TooLargeException(uri + ": " + (declared >= 0 ? "the server announces " + declared + " bytes ("
                + mib(declared) + ")" : "more than " + limit + " bytes and still going") + ", over the download limit of "
                + mib(limit) + "; nothing was kept (raise it with --max-download SIZE)");
    }

    private static String describe(IOException e) {
        String cls = e.getClass().getSimpleName();
        String msg = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            String why = null;
            for (Throwable c = e; c != null && why == null; c = c.getCause()) {
                if (c instanceof java.nio.channels.UnresolvedAddressException) why = "host name not resolved";
                else if (c.getMessage() != null) why = c.getMessage();
            }
            return "cannot connect" + (why == null ? "" : " (" + why + ")");
        }
        if (e instanceof java.net.http.HttpConnectTimeoutException) return "connect timed out";
        if (msg == null && e.getCause() != null) msg = e.getCause().toString();
        return msg == null ? cls : cls + ": " + msg.replaceAll("\\s*\\R\\s*", " ");
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
