package dev.ringvm.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/** The docker daemon, reached through Testcontainers; every failure becomes one line saying what to do. */
public final class Docker {
    static final String RYUK_ENV = "TESTCONTAINERS_RYUK_DISABLED";
    static final String START_HINT =
            "install docker.io and start the daemon, e.g. dockerd --bridge=none --iptables=false &";

    private Docker() {}

    /** Why the container runner cannot use docker here, or empty when it can. Pure; unit tested. */
    static Optional<String> ryukProblem(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.getOrDefault(RYUK_ENV, ""))) return Optional.empty();
        return Optional.of("--runner container needs " + RYUK_ENV + "=true in the environment (Testcontainers' Ryuk"
                + " image cannot be pulled here; ringvm removes its own containers; the ./ringvm launcher sets it)");
    }

    /** Why there is no daemon to talk to at {@code socket}, or empty when the socket exists. Unit tested. */
    static Optional<String> socketProblem(Path socket) {
        if (Files.exists(socket)) return Optional.empty();
        return Optional.of("docker is not reachable: no socket at " + socket + " (" + START_HINT + ")");
    }

    /** Testcontainers' shared client; throws a one-line ContainerException when the daemon is not reachable. */
    public static DockerClient client() throws ContainerException {
        Optional<String> ryuk = ryukProblem(System.getenv());
        if (ryuk.isPresent()) throw new ContainerException(ryuk.get());
        Optional<String> socket = socketProblem(LocalDockerStrategy.socket());
        if (socket.isPresent()) throw new ContainerException(socket.get());
        try {
            DockerClientFactory f = DockerClientFactory.instance();
            if (!f.isDockerAvailable()) {
                throw new ContainerException("docker is not reachable at unix://" + LocalDockerStrategy.socket()
                        + ": " + START_HINT);
            }
            return f.client();
        } catch (RuntimeException e) {
            throw new ContainerException("docker is not reachable at unix://" + LocalDockerStrategy.socket() + " ("
                    + firstLine(e) + "): " + START_HINT, e);
        }
    }

    /** Server version and API version, for the run log: {@code 20.10.24 (API 1.41)}. */
    public static String describe(DockerClient client) {
        var v = client.versionCmd().exec();
        return v.getVersion() + " (API " + v.getApiVersion() + ")";
    }

    /** The id ({@code sha256:...}) of the image {@code tag} names, if the daemon has it. */
    static java.util.Optional<String> imageId(DockerClient client, String tag) {
        try {
            return java.util.Optional.ofNullable(client.inspectImageCmd(tag).exec().getId());
        } catch (NotFoundException e) {
            return java.util.Optional.empty();
        }
    }

    /** True when the local image store holds {@code tag}. */
    static boolean hasImage(DockerClient client, String tag) {
        try {
            client.inspectImageCmd(tag).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    public static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.strip().lines().findFirst().orElse(m);
    }
}
