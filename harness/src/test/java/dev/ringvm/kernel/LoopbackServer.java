package dev.ringvm.kernel;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) serving fixed bodies by path; 404 for anything else. A path
 * registered with {@link #truncated} announces a Content-Length larger than what it sends, then closes.
 */
final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, Long> announced = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requests.add(path);
            byte[] body = bodies.get(path);
            try (ex) {
                if (body == null) {
                    byte[] msg = "not found".getBytes(StandardCharsets.US_ASCII);
                    ex.sendResponseHeaders(404, msg.length);
                    ex.getResponseBody().write(msg);
                    return;
                }
                Long length = announced.get(path);
                ex.sendResponseHeaders(200, length != null ? length : body.length);
                OutputStream out = ex.getResponseBody();
                for (int off = 0; off < body.length; off += 32 * 1024) {
                    out.write(body, off, Math.min(32 * 1024, body.length - off));
                    out.flush();
                }
            } catch (IOException e) {
                // a truncated body ends with "insufficient bytes written": the connection is dropped, as intended
            }
        });
        server.start();
    }

    LoopbackServer serve(String path, byte[] body) {
        bodies.put(path, body);
        return this;
    }

    LoopbackServer serve(String path, String body) {
        return serve(path, body.getBytes(StandardCharsets.UTF_8));
    }

    LoopbackServer truncated(String path, byte[] body, long announcedLength) {
        bodies.put(path, body);
        announced.put(path, announcedLength);
        return this;
    }

    /** A body sent chunked, without a Content-Length. */
    LoopbackServer chunked(String path, byte[] body) {
        bodies.put(path, body);
        announced.put(path, 0L); // HttpServer: length 0 means chunked
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
