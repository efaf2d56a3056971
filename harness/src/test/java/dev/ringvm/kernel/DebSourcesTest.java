package dev.ringvm.kernel;

import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deb (file and URL), mainline, host and build sources against a real HTTP server on loopback serving synthetic
 * .debs (a bzImage header plus incompressible padding, so progress has something to report). The same paths
 * with a real Debian kernel .deb: {@link RealDebOverHttpVmTest}.
 */
class DebSourcesTest {

    static final String RELEASE = "6.8.12-060812-generic";
    static final String DEB_NAME = "linux-image-unsigned-6.8.12-060812-generic_6.8.12-060812.202405300722_amd64.deb";

    @TempDir Path dir;
    private Path cache;
    private Path lockFile;
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
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

    KernelResolver resolver(KernelImageBuilder builder) {
        return new KernelResolver(cache, lockFile, null, builder, MainlineArchive.base(server.uri("/mainline/").toString()),
                new HttpFetcher(Duration.ofSeconds(5), Duration.ofSeconds(5)), log::add,
                Clock.fixed(Instant.parse("2026-11-25T20:00:00Z"), ZoneOffset.UTC));
    }

    KernelResolver resolver() {
        return resolver(null);
    }

    static byte[] deb(Path dir, String release, int padding) throws IOException {
        byte[] pad = new byte[padding];
        new Random(release.hashCode()).nextBytes(pad);
        Path f = TestDebs.deb(dir.resolve("t-" + release + "-" + padding + ".deb"), "",
                TestDebs.files("./boot/vmlinuz-" + release, TestDebs.bzImage(release + " (builder@example.org) #1 SMP"),
                        "./usr/share/doc/padding.bin", pad));
        return Files.readAllBytes(f);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** An amd64/ index page like the archive's Apache listing. */
    static String indexPage(String title, String... hrefs) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html><head><title>Index of "
                + title + "</title></head><body><h1>Index of " + title + "</h1><table>\n"
                + "<tr><th><a href=\"?C=N;O=D\">Name</a></th></tr>\n<tr><td><a href=\"../\">Parent Directory</a></td></tr>\n");
        for (String h : hrefs) {
            sb.append("<tr><td><a href=\"").append(h).append("\">").append(MainlineArchive.fileName(h)).append("</a></td><td align=\"right\">2024-05-30 09:12  </td></tr>\n");
        }
        return sb.append("</table></body></html>\n").toString();
    }

    /** {@code /mainline/<version>/amd64/} with the image, a headers .deb, and CHECKSUMS (sha1 and sha256 lines). */
    static void publishMainline(LoopbackServer s, String version, String debName, byte[] deb, String checksum) throws Exception {
        String dirPath = "/mainline/" + version + "/amd64/";
        String headers = "linux-headers-6.8.12-060812-generic_6.8.12-060812.202405300722_amd64.deb";
        s.serve(dirPath, indexPage("/mainline/" + version + "/amd64", "CHECKSUMS", "CHECKSUMS.gpg", headers, debName,
                "linux-modules-6.8.12-060812-generic_6.8.12-060812.202405300722_amd64.deb"));
        s.serve(dirPath + debName, deb);
        if (checksum != null) {
            String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(deb));
            s.serve(dirPath + "CHECKSUMS", "# Checksums, check with the command below:\n#     shasum -c CHECKSUMS\n"
                    + "# Checksums-Sha1:\n" + sha1 + "  " + debName + "\n" + "ab".repeat(20) + "  " + headers + "\n"
                    + "# Checksums-Sha256:\n" + checksum + "  " + debName + "\n" + "cd".repeat(32) + "  " + headers + "\n");
        }
    }

    private List<Path> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void urlDebIsDownloadedPinnedAndThenServedFromTheCache() throws Exception {
        byte[] deb = deb(dir, RELEASE, 3 << 20);
        server.serve("/k/" + DEB_NAME, deb);
        KernelEntry e = new KernelEntry("url", new KernelSource.DebSource(server.uri("/k/" + DEB_NAME).toString(), null));
        ResolvedKernel k = resolver().resolve(e);
        assertThat(k.release()).isEqualTo(RELEASE);
        assertThat(k.versionString()).startsWith(RELEASE + " (builder@example.org)");
        assertThat(k.image()).startsWith(cache.resolve("kernels")).exists();
        assertThat(k.sha256()).isEqualTo(Sha256.hex(k.image()));
        assertThat(k.packageName()).isEqualTo(DEB_NAME);
        KernelLock.Entry pin = new KernelLock(lockFile).get("url").orElseThrow();
        assertThat(pin.debSha256()).isEqualTo(sha256(deb));
        assertThat(pin.url()).isEqualTo(server.uri("/k/" + DEB_NAME).toString());
        assertThat(pin.sha256()).isEqualTo(k.sha256());
        assertThat(cache.resolve("debs").resolve(sha256(deb) + ".deb")).exists();
        assertThat(log).anyMatch(l -> l.matches("kernel url: \\d+\\.\\d MiB of 3\\.\\d MiB \\(\\d+%\\)"));
        assertThat(filesUnder(cache.resolve("tmp"))).isEmpty();

        server.close(); // offline from now on: the pin and the cache are enough
        log.clear();
        ResolvedKernel again = resolver().resolve(e);
        assertThat(again.image()).isEqualTo(k.image());
        assertThat(log).anyMatch(l -> l.contains("already in the cache"));
    }

    @Test
    void aChangedDownloadIsRefusedNamingBothHashes() throws Exception {
        byte[] first = deb(dir, RELEASE, 1000);
        byte[] second = deb(dir, "6.8.13-060813-generic", 1000);
        server.serve("/x.deb", first);
        KernelEntry e = new KernelEntry("url", new KernelSource.DebSource(server.uri("/x.deb").toString(), null));
        resolver().resolve(e);
        // the cached .deb vanishes and the server now hands out different bytes under the same URL
        for (Path p : filesUnder(cache.resolve("debs"))) Files.delete(p);
        server.serve("/x.deb", second);
        assertThatThrownBy(() -> resolver().resolve(e)).isInstanceOf(KernelUnavailableException.class)
                .hasMessageContaining("kernel url: " + server.uri("/x.deb") + " has sha256 " + sha256(second))
                .hasMessageContaining("kernels.lock expects " + sha256(first));
        assertThat(filesUnder(cache.resolve("debs"))).isEmpty();
        assertThat(filesUnder(cache.resolve("tmp"))).isEmpty();
        assertThat(new KernelLock(lockFile).get("url").orElseThrow().debSha256()).isEqualTo(sha256(first));
    }

    @Test
    void aWrongSha256InTheYamlIsRefused() throws Exception {
        byte[] deb = deb(dir, RELEASE, 1000);
        server.serve("/x.deb", deb);
        String wrong = "0".repeat(64);
        KernelEntry e = new KernelEntry("url", new KernelSource.DebSource(server.uri("/x.deb").toString(), wrong));
        assertThatThrownBy(() -> resolver().resolve(e)).hasMessageContaining(sha256(deb))
                .hasMessageContaining("kernels.yaml expects " + wrong);
        KernelEntry right = new KernelEntry("url", new KernelSource.DebSource(server.uri("/x.deb").toString(), sha256(deb)));
        assertThat(resolver().resolve(right).release()).isEqualTo(RELEASE);
    }

    @Test
    void aTruncatedDownloadLeavesNothingInTheCache() throws Exception {
        byte[] deb = deb(dir, RELEASE, 200_000);
        server.truncated("/t.deb", java.util.Arrays.copyOf(deb, 100_000), deb.length);
        KernelEntry e = new KernelEntry("t", new KernelSource.DebSource(server.uri("/t.deb").toString(), null));
        assertThatThrownBy(() -> resolver().resolve(e)).isInstanceOf(KernelUnavailableException.class)
                .hasMessageStartingWith("kernel t: " + server.uri("/t.deb"))
                .satisfies(x -> assertThat(x.getMessage()).doesNotContain("\n"));
        assertThat(filesUnder(cache)).isEmpty();
        assertThat(new KernelLock(lockFile).get("t")).isEmpty();
    }

    @Test
    void a404IsUnavailable() throws Exception {
        KernelEntry e = new KernelEntry("gone", new KernelSource.DebSource(server.uri("/nope.deb").toString(), null));
        assertThatThrownBy(() -> resolver().resolve(e)).hasMessage("kernel gone: " + server.uri("/nope.deb") + ": HTTP 404 (not found)");
    }

    @Test
    void anUnreachableUrlMarksOnlyThatKernelUnavailable() throws Exception {
        Path bz = Files.write(dir.resolve("bzImage"), TestDebs.bzImage("6.12.1 (x@y) #1"));
        KernelResolver r = resolver();
        List<String> ready = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (KernelEntry e : List.of(
                new KernelEntry("offline", new KernelSource.DebSource("http://127.0.0.1:1/x.deb", null)),
                new KernelEntry("local", new KernelSource.PathSource(bz)))) {
            try {
                ready.add(r.resolve(e).id());
            } catch (KernelUnavailableException x) {
                unavailable.add(x.getMessage());
            }
        }
        assertThat(ready).containsExactly("local");
        assertThat(unavailable).singleElement().asString().startsWith("kernel offline: http://127.0.0.1:1/x.deb: cannot connect");
    }

    @Test
    void aLocalDebIsReadInPlaceAndVerified() throws Exception {
        byte[] deb = deb(dir, RELEASE, 1000);
        Path file = Files.write(dir.resolve("k.deb"), deb);
        ResolvedKernel k = resolver().resolve(new KernelEntry("file", new KernelSource.DebSource(file.toString(), null)));
        assertThat(k.release()).isEqualTo(RELEASE);
        assertThat(new KernelLock(lockFile).read()).isEmpty();
        String wrong = "f".repeat(64);
        assertThatThrownBy(() -> resolver().resolve(new KernelEntry("file", new KernelSource.DebSource(file.toString(), wrong))))
                .hasMessage("kernel file: " + file + " has sha256 " + sha256(deb) + " but kernels.yaml expects " + wrong + "; refusing it");
    }

    @Test
    void aDebWithoutAKernelIsUnavailable() throws Exception {
        Path f = TestDebs.deb(dir.resolve("doc.deb"), "xz", TestDebs.files("./usr/share/doc/x", "hello"));
        assertThatThrownBy(() -> resolver().resolve(new KernelEntry("doc", new KernelSource.DebSource(f.toString(), null))))
                .hasMessageContaining("no kernel image in the package");
    }

    @Test
    void mainlineIsVerifiedAgainstChecksums() throws Exception {
        byte[] deb = deb(dir, RELEASE, 1000);
        publishMainline(server, "v6.8.12", DEB_NAME, deb, sha256(deb));
        ResolvedKernel k = resolver().resolve(new KernelEntry("mainline-6.8.12", new KernelSource.MainlineSource("v6.8.12")));
        assertThat(k.release()).isEqualTo(RELEASE);
        assertThat(k.source()).isEqualTo(new KernelSource.MainlineSource("v6.8.12"));
        assertThat(k.packageName()).isEqualTo(DEB_NAME);
        assertThat(k.packageVersion()).isEqualTo("v6.8.12");
        assertThat(log).anyMatch(l -> l.contains("(sha256 from CHECKSUMS)"));
        assertThat(server.requests).contains("/mainline/v6.8.12/amd64/", "/mainline/v6.8.12/amd64/CHECKSUMS",
                "/mainline/v6.8.12/amd64/" + DEB_NAME);
        // pinned and cached: resolves offline
        server.close();
        assertThat(resolver().resolve(new KernelEntry("mainline-6.8.12", new KernelSource.MainlineSource("v6.8.12"))).image())
                .isEqualTo(k.image());
    }

    @Test
    void mainlineWithAWrongChecksumIsRefusedNamingBothHashes() throws Exception {
        byte[] deb = deb(dir, RELEASE, 1000);
        String published = "ee".repeat(32);
        publishMainline(server, "v6.8.12", DEB_NAME, deb, published);
        assertThatThrownBy(() -> resolver().resolve(new KernelEntry("m", new KernelSource.MainlineSource("v6.8.12"))))
                .hasMessageContaining("has sha256 " + sha256(deb))
                .hasMessageContaining(server.uri("/mainline/v6.8.12/amd64/CHECKSUMS") + " expects " + published);
        assertThat(filesUnder(cache.resolve("debs"))).isEmpty();
    }

    @Test
    void mainlineFallsBackToTheVersionDirectoryAndPinsWithoutChecksums() throws Exception {
        byte[] deb = deb(dir, "6.5.0-060500-generic", 1000);
        String name = "linux-image-unsigned-6.5.0-060500-generic_6.5.0-060500.202308271831_amd64.deb";
        // an older layout: no amd64/ directory, links carry the amd64/ prefix, no CHECKSUMS
        server.serve("/mainline/v6.5/", indexPage("/mainline/v6.5", "amd64/" + name, "arm64/linux-image-unsigned-6.5.0-060500-generic_6.5.0-060500.202308271831_arm64.deb"));
        server.serve("/mainline/v6.5/amd64/" + name, deb);
        ResolvedKernel k = resolver().resolve(new KernelEntry("mainline-6.5", new KernelSource.MainlineSource("v6.5")));
        assertThat(k.release()).isEqualTo("6.5.0-060500-generic");
        assertThat(log).anyMatch(l -> l.contains("no CHECKSUMS published"));
        assertThat(new KernelLock(lockFile).get("mainline-6.5").orElseThrow().debSha256()).isEqualTo(sha256(deb));
    }

    @Test
    void anArm64MainlineKernelComesFromTheArm64DirectoryOfTheVersion() throws Exception {
        String release = "6.5.0-060500-generic";
        String amd64 = "linux-image-unsigned-6.5.0-060500-generic_6.5.0-060500.202308271831_amd64.deb";
        String arm64 = "linux-image-unsigned-6.5.0-060500-generic_6.5.0-060500.202308271831_arm64.deb";
        // Ubuntu's arm64 vmlinuz is a gzip-compressed Image
        byte[] deb = Files.readAllBytes(TestDebs.deb(dir.resolve("arm.deb"), "", TestDebs.files("./boot/vmlinuz-" + release,
                TestDebs.gzip(TestDebs.arm64Image(release + " (buildd@example.org) #1 SMP", 4)))));
        server.serve("/mainline/v6.5/", indexPage("/mainline/v6.5", "amd64/" + amd64, "arm64/" + arm64));
        server.serve("/mainline/v6.5/arm64/", indexPage("/mainline/v6.5/arm64", arm64));
        server.serve("/mainline/v6.5/arm64/" + arm64, deb);
        ResolvedKernel k = resolver().resolve(new KernelEntry("m", new KernelSource.MainlineSource("v6.5"), null, null,
                dev.ringvm.config.Arch.ARM64));
        assertThat(k.release()).isEqualTo(release);
        assertThat(k.arch()).isEqualTo(dev.ringvm.config.Arch.ARM64);
        assertThat(k.pageKiB()).isEqualTo(4);
        assertThat(k.packageName()).isEqualTo(arm64);
        assertThat(server.requests).contains("/mainline/v6.5/arm64/", "/mainline/v6.5/arm64/" + arm64)
                .doesNotContain("/mainline/v6.5/amd64/", "/mainline/v6.5/amd64/" + amd64);
    }

    @Test
    void aMissingMainlineVersionIsUnavailableNamingIt() {
        assertThatThrownBy(() -> resolver().resolve(new KernelEntry("m", new KernelSource.MainlineSource("v6.99.1"))))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessageStartingWith("kernel m: mainline v6.99.1: no such version at " + server.uri("/mainline/"));
    }

    @Test
    void aMainlineDirectoryWithoutAnImageIsUnavailable() throws Exception {
        server.serve("/mainline/v6.9/amd64/", indexPage("/mainline/v6.9/amd64", "BUILD.LOG.amd64"));
        assertThatThrownBy(() -> resolver().resolve(new KernelEntry("m", new KernelSource.MainlineSource("v6.9"))))
                .hasMessageContaining("no linux-image-unsigned-*-generic_*_amd64.deb linked from");
    }

    @Test
    void hostIsTheRunningKernel() throws Exception {
        ResolvedKernel k = resolver().resolve(new KernelEntry("here", new KernelSource.HostSource()));
        assertThat(k.image()).isNull();
        assertThat(k.sha256()).isNull();
        assertThat(k.release()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        assertThat(k.source()).isEqualTo(new KernelSource.HostSource());
    }

    @Test
    void buildWithoutABuilderIsUnavailable() {
        KernelSource.BuildSource b = new KernelSource.BuildSource(null, "linux-source-6.12", "trixie", "tinyconfig", List.of(), List.of());
        assertThatThrownBy(() -> new KernelResolver(cache, lockFile, log::add).resolve(new KernelEntry("b", b)))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessageStartingWith("kernel b: no kernel builder configured");
    }

    @Test
    void buildGoesThroughTheBuilderAndIsLabelledFromItsHeader() throws Exception {
        KernelSource.BuildSource b = new KernelSource.BuildSource(null, "linux-source-6.12", "trixie", "tinyconfig", List.of(), List.of());
        Path image = Files.write(dir.resolve("bzImage"), TestDebs.bzImage("6.12.57-ringvm (me@here) #1"));
        List<String> calls = new ArrayList<>();
        ResolvedKernel k = resolver((id, src, l) -> {
            calls.add(id + " " + src.debianSource());
            return image;
        }).resolve(new KernelEntry("b", b));
        assertThat(calls).containsExactly("b linux-source-6.12");
        assertThat(k.release()).isEqualTo("6.12.57-ringvm");
        assertThat(k.sha256()).isEqualTo(Sha256.hex(image));
        assertThat(k.source()).isEqualTo(b);
        assertThatThrownBy(() -> resolver((id, src, l) -> {
            throw new KernelUnavailableException("kernel " + id + ": compile failed");
        }).resolve(new KernelEntry("b", b))).hasMessage("kernel b: compile failed");
    }
}
