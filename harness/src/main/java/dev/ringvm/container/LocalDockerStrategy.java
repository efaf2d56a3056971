package dev.ringvm.container;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.InvalidConfigurationException;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Testcontainers' Unix socket strategy, except for the docker host address. Inside a container (a {@code /.dockerenv}
 * file) Testcontainers looks that address up as the gateway of docker's {@code bridge} network, and fails when the
 * daemon runs with {@code --bridge=none} ("network bridge not found"). ringvm publishes no ports (its containers run
 * with network mode none), so it never needs that address. Registered through {@code META-INF/services} with a
 * priority above Testcontainers' own strategies, and not persisted to {@code ~/.testcontainers.properties}.
 */
public final class LocalDockerStrategy extends DockerClientProviderStrategy {
    static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    /** {@code DOCKER_HOST} when it names a Unix socket, else the default socket. */
    static Path socket() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && host.startsWith("unix://")) return Path.of(host.substring("unix://".length()));
        return Path.of(DEFAULT_SOCKET);
    }

    @Override
    public TransportConfig getTransportConfig() throws InvalidConfigurationException {
        Path socket = socket();
        if (!Files.exists(socket)) throw new InvalidConfigurationException("no docker socket at " + socket);
        return TransportConfig.builder().dockerHost(URI.create("unix://" + socket)).build();
    }

    @Override
    public String getDescription() {
        return "local Unix socket (unix://" + socket() + "), ringvm's strategy";
    }

    @Override
    protected int getPriority() {
        return 1000;
    }

    @Override
    protected boolean isPersistable() {
        return false;
    }

    @Override
    public String getDockerHostIpAddress() {
        return "localhost";
    }
}
