package dev.ringvm.kernel;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.CacheDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deb URL and mainline paths with a REAL Debian kernel .deb (bookworm's 6.1 cloud image, fetched through the
 * private apt repo into the shared cache) served by a loopback HTTP server laid out like Ubuntu's mainline
 * archive. Tagged "vm": it needs the Debian archive (or a warm cache).
 */
@Tag("vm")
@Requires(Capability.DEBIAN_ARCHIVE)
class RealDebOverHttpVmTest {

    private static Path realDeb;
    private static byte[] realBytes;
    private static String realSha;

    @TempDir Path dir;
    private Path cache;
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private LoopbackServer server;

    @BeforeAll
    static void fetchRealDeb() throws Exception {
        AptRepo apt = new AptRepo(CacheDirs.root(), System.err::println);
        String pkg = apt.newestKernelImage("bookworm", "linux-image-*-cloud-amd64").name();
        realDeb = apt.downloadPackage("bookworm", pkg);
        realBytes = Files.readAllBytes(realDeb);
        realSha = Sha256.hex(realDeb);
    }

    @BeforeEach
    void setUp() throws Exception {
        cache = dir.resolve("cache");
        server = new LoopbackServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private KernelResolver resolver() {
        return new KernelResolver(cache, dir.resolve("kernels.lock"), null, null,
                MainlineArchive.base(server.uri("/mainline/").toString()),
                new HttpFetcher(Duration.ofSeconds(10), Duration.ofSeconds(30)), log::add, Clock.systemUTC());
    }

    private List<Path> filesUnder(Path root) throws Exception {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void debUrlResolvesARealKernel() throws Exception {
        String name = realDeb.getFileName().toString();
        server.serve("/pool/" + name, realBytes);
        ResolvedKernel k = resolver().resolve(new KernelEntry("real", new KernelSource.DebSource(server.uri("/pool/" + name).toString(), null)));
        assertThat(k.release()).startsWith("6.1.0-").endsWith("-cloud-amd64");
        assertThat(k.sha256()).isEqualTo(Sha256.hex(k.image()));
        assertThat(new KernelLock(dir.resolve("kernels.lock")).get("real").orElseThrow().debSha256()).isEqualTo(realSha);
        assertThat(log).anyMatch(l -> l.contains("%)"));
    }

    @Test
    void truncatedRealDebLeavesNothing() throws Exception {
        server.truncated("/t.deb", java.util.Arrays.copyOf(realBytes, realBytes.length / 2), realBytes.length);
        assertThatThrownBy(() -> resolver().resolve(new KernelEntry("t", new KernelSource.DebSource(server.uri("/t.deb").toString(), null))))
                .isInstanceOf(KernelUnavailableException.class);
        assertThat(filesUnder(cache)).isEmpty();
    }

    @Test
    void mainlineLayoutWithTheRealDeb() throws Exception {
        DebSourcesTest.publishMainline(server, "v6.1.0", DebSourcesTest.DEB_NAME, realBytes, realSha);
        ResolvedKernel k = resolver().resolve(new KernelEntry("m", new KernelSource.MainlineSource("v6.1.0")));
        assertThat(k.release()).startsWith("6.1.0-");
        assertThat(log).anyMatch(l -> l.contains("sha256 from CHECKSUMS"));
    }

    @Test
    void mainlineWrongChecksumAndMissingVersion() throws Exception {
        String wrong = "0".repeat(64);
        DebSourcesTest.publishMainline(server, "v6.1.0", DebSourcesTest.DEB_NAME, realBytes, wrong);
        assertThatThrownBy(() -> resolver().resolve(new KernelEntry("m", new KernelSource.MainlineSource("v6.1.0"))))
                .hasMessageContaining(realSha).hasMessageContaining(wrong);
        assertThatThrownBy(() -> resolver().resolve(new KernelEntry("m", new KernelSource.MainlineSource("v6.2.0"))))
                .hasMessageContaining("mainline v6.2.0: no such version");
        assertThat(filesUnder(cache.resolve("debs"))).isEmpty();
    }
}
