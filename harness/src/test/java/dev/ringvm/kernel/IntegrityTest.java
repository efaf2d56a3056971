package dev.ringvm.kernel;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Integrity failures are told apart from unreachable kernels (they fail the run whatever the options), downloads are
 * bounded, nothing unverified enters the cache, and a damaged cache entry is fetched again with a line saying so.
 */
class IntegrityTest {
    static final String RELEASE = "6.8.12-060812-generic";

    @TempDir Path dir;
    private Path cache;
    private Path lockFile;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private LoopbackServer server;

    @BeforeEach
    void setUp() throws IOException {
        cache = dir.resolve("cache");
        lockFile = dir.resolve("kernels.lock");
        server = new LoopbackServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private KernelResolver resolver(long maxBytes, PackageArchive archive) {
        return new KernelResolver(cache, lockFile, archive, null, MainlineArchive.base(server.uri("/mainline/").toString()),
                new HttpFetcher(Duration.ofSeconds(5), Duration.ofSeconds(5), maxBytes), log::add,
                Clock.fixed(Instant.parse("2026-11-25T20:00:00Z"), ZoneOffset.UTC));
    }

    private KernelResolver resolver(long maxBytes) {
        return resolver(maxBytes, null);
    }

    private KernelEntry url(String id, String path, String sha) {
        return new KernelEntry(id, new KernelSource.DebSource(server.uri(path).toString(), sha));
    }

    private List<Path> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static KernelUnavailableException unavailable(KernelResolver r, KernelEntry e) {
        try {
            r.resolve(e);
        } catch (KernelUnavailableException x) {
            return x;
        }
        throw new AssertionError(e.id() + " resolved");
    }

    // --- bzImage format ---

    @Test
    void aTruncatedBzImageIsAnIntegrityFailureNamingBothSizes() throws Exception {
        byte[] img = TestDebs.bzImage("6.12.1 (x@y) #1");
        img[0x1F1] = 3; // setup_sects: 4 * 512 bytes of setup code
        img[0x1F4] = 0x00;
        img[0x1F5] = 0x04; // syssize 0x400 paragraphs: 16 KiB of kernel
        long declared = 4 * 512 + 0x400 * 16;
        Path whole = Files.write(dir.resolve("whole"), Arrays.copyOf(img, (int) declared));
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(img, 0x4000));
        assertThat(BzImage.read(whole).release()).isEqualTo("6.12.1");
        assertThatThrownBy(() -> BzImage.read(cut)).isInstanceOf(KernelIntegrityException.class)
                .hasMessage(cut + ": truncated bzImage: 16384 bytes, its header declares " + declared);
        KernelUnavailableException e = unavailable(resolver(1 << 20), new KernelEntry("cut", new KernelSource.PathSource(cut)));
        assertThat(e.integrity()).isTrue();
        assertThat(e).hasMessage("kernel cut: " + cut + ": truncated bzImage: 16384 bytes, its header declares " + declared);
    }

    @Test
    void aFileThatIsNotAKernelIsAnIntegrityFailureAMissingOneIsNot() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk"), "not a kernel\n".repeat(200));
        assertThat(unavailable(resolver(1 << 20), new KernelEntry("junk", new KernelSource.PathSource(junk))).integrity()).isTrue();
        Path missing = dir.resolve("missing");
        assertThat(unavailable(resolver(1 << 20), new KernelEntry("gone", new KernelSource.PathSource(missing))).integrity()).isFalse();
    }

    // --- checksums ---

    @Test
    void aShaMismatchIsAnIntegrityFailureAnUnreachableServerIsNot() throws Exception {
        byte[] deb = DebSourcesTest.deb(dir, RELEASE, 1000);
        server.serve("/x.deb", deb);
        KernelUnavailableException wrong = unavailable(resolver(1 << 20), url("x", "/x.deb", "0".repeat(64)));
        assertThat(wrong.integrity()).isTrue();
        assertThat(wrong).hasMessageContaining("has sha256 " + DebSourcesTest.sha256(deb) + " but kernels.yaml expects " + "0".repeat(64));
        KernelUnavailableException offline = unavailable(resolver(1 << 20),
                new KernelEntry("off", new KernelSource.DebSource("http://127.0.0.1:1/x.deb", null)));
        assertThat(offline.integrity()).isFalse();
        KernelUnavailableException notFound = unavailable(resolver(1 << 20), url("nf", "/nope.deb", null));
        assertThat(notFound.integrity()).isFalse();
    }

    // --- download limits ---

    @Test
    void aContentLengthOverTheLimitIsRefusedBeforeTheDownloadStarts() throws Exception {
        long tenTb = 10L << 40;
        server.truncated("/huge.deb", new byte[64 * 1024], tenTb);
        KernelUnavailableException e = unavailable(resolver(1 << 20), url("huge", "/huge.deb", null));
        assertThat(e).hasMessage("kernel huge: " + server.uri("/huge.deb") + ": the server announces " + tenTb
                + " bytes (10485760.0 MiB), over the download limit of 1.0 MiB; nothing was kept (raise it with"
                + " --max-download SIZE)");
        assertThat(e.integrity()).isTrue();
        assertThat(log).noneMatch(l -> l.contains("downloading"));
        assertThat(filesUnder(cache)).isEmpty();
        assertThat(new KernelLock(lockFile).read()).isEmpty();
    }

    @Test
    void aBodyWithoutALengthIsCutAtTheLimit() throws Exception {
        server.chunked("/endless.deb", new byte[3 << 20]);
        KernelUnavailableException e = unavailable(resolver(1 << 20), url("endless", "/endless.deb", null));
        assertThat(e).hasMessage("kernel endless: " + server.uri("/endless.deb") + ": more than 1048576 bytes and still"
                + " going, over the download limit of 1.0 MiB; nothing was kept (raise it with --max-download SIZE)");
        assertThat(filesUnder(cache)).isEmpty();
        // under the limit the same server works
        byte[] deb = DebSourcesTest.deb(dir, RELEASE, 1000);
        server.chunked("/small.deb", deb);
        assertThat(resolver(1 << 20).resolve(url("small", "/small.deb", null)).release()).isEqualTo(RELEASE);
    }

    @Test
    void aBodyThatIsNotADebNeverEntersTheDebCache() throws Exception {
        server.serve("/page.deb", "<html>mirror maintenance</html>\n".repeat(100));
        KernelUnavailableException e = unavailable(resolver(1 << 20), url("page", "/page.deb", null));
        assertThat(e.integrity()).isTrue();
        assertThat(e).hasMessageContaining("not a .deb (no ar archive header)");
        Path doc = TestDebs.deb(dir.resolve("doc.deb"), "xz", TestDebs.files("./usr/share/doc/x", "hello"));
        server.serve("/doc.deb", Files.readAllBytes(doc));
        KernelUnavailableException noImage = unavailable(resolver(1 << 20), url("doc", "/doc.deb", null));
        assertThat(noImage).hasMessageContaining("no kernel image in the package");
        assertThat(noImage.integrity()).isTrue();
        assertThat(filesUnder(cache)).isEmpty();
        assertThat(new KernelLock(lockFile).read()).isEmpty();
    }

    // --- caches verified on reuse ---

    @Test
    void aDamagedCachedDebIsDownloadedAgainWithALine() throws Exception {
        byte[] deb = DebSourcesTest.deb(dir, RELEASE, 1000);
        String sha = DebSourcesTest.sha256(deb);
        server.serve("/x.deb", deb);
        resolver(1 << 20).resolve(url("x", "/x.deb", sha));
        Path cached = cache.resolve("debs").resolve(sha + ".deb");
        Files.write(cached, Arrays.copyOf(deb, 100)); // truncated in the cache
        // and the image extracted from it too
        Path image = filesUnder(cache.resolve("kernels")).stream().filter(p -> p.endsWith("vmlinuz")).findFirst().orElseThrow();
        Files.write(image, new byte[10]);
        log.clear();
        assertThat(resolver(1 << 20).resolve(url("x", "/x.deb", sha)).release()).isEqualTo(RELEASE);
        assertThat(log).contains("kernel x: cached " + cached.toAbsolutePath() + " does not match its sha256; downloading it again");
        assertThat(log).anyMatch(l -> l.startsWith("kernel x: cached image ") && l.endsWith("does not match its sha256; extracting it again"));
        assertThat(Sha256.hex(cached)).isEqualTo(sha);
        assertThat(server.requests).filteredOn("/x.deb"::equals).hasSize(2);
    }

    // --- kernels.lock pins ---

    /** One apt package whose bytes the test can change behind the same version, as a broken mirror would. */
    private static final class OnePackage implements PackageArchive {
        final PackageRef ref = new PackageRef("linux-image-6.12.1-cloud-amd64", "6.12.1-1", List.of());
        volatile byte[] image = TestDebs.bzImage("6.12.1-cloud-amd64 (x@y) #1");

        @Override public PackageRef newestKernelImage(AptTarget suite, String glob) { return ref; }
        @Override public PackageRef newest(AptTarget suite, String pkg) { return ref; }
        @Override public List<PackageRef> show(AptTarget suite, List<String> names) { return List.of(ref); }

        @Override public Path download(AptTarget suite, PackageRef r, Path destDir) throws AptException {
            try {
                Files.createDirectories(destDir);
                return TestDebs.deb(destDir.resolve(r.name() + ".deb"), "xz",
                        TestDebs.files("./boot/vmlinuz-6.12.1-cloud-amd64", image));
            } catch (IOException e) {
                throw new AptException(e.getMessage());
            }
        }
    }

    @Test
    void aRefetchedAptPackageWhoseImageDiffersFromItsPinIsRefusedAndThePinKept() throws Exception {
        OnePackage archive = new OnePackage();
        KernelEntry k = new KernelEntry("debian-6.12", new KernelSource.AptSource("linux-image-*-cloud-amd64", "trixie"));
        String pinned = resolver(1 << 20, archive).resolve(k).sha256();
        // the cached image is lost, and the archive now serves other bytes under the same version
        Files.delete(cache.resolve("kernels").resolve(pinned).resolve("vmlinuz"));
        try (Stream<Path> s = Files.list(cache.resolve("kernels").resolve("by-package"))) {
            for (Path p : s.toList()) Files.delete(p);
        }
        byte[] other = TestDebs.bzImage("6.12.1-cloud-amd64 (evil@y) #1");
        archive.image = other;
        KernelUnavailableException e = unavailable(resolver(1 << 20, archive), k);
        assertThat(e.integrity()).isTrue();
        assertThat(e).hasMessage("kernel debian-6.12: linux-image-6.12.1-cloud-amd64 6.12.1-1 now holds an image with sha256 "
                + Sha256.hex(other) + " but kernels.lock pins " + pinned + " for that package version; refusing it"
                + " (delete the entry from kernels.lock to accept the new image)");
        assertThat(new KernelLock(lockFile).get("debian-6.12")).hasValueSatisfying(p -> assertThat(p.sha256()).isEqualTo(pinned));
    }
}
