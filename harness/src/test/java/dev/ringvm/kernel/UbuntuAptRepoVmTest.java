package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringvm.config.KernelEntry;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.host.Sha256;
import dev.ringvm.model.ResolvedKernel;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apt:} against an apt archive in Ubuntu's layout on a loopback HTTP server ({@code dists/noble-updates/
 * InRelease}, {@code main/binary-amd64/Packages.xz}, {@code pool/main/l/linux/}), signed with a key made here by gpg,
 * holding Ubuntu's split packaging (linux-image-unsigned-R with the image, linux-modules-R with /boot/config-R, a
 * signed-style linux-image-R, and an HWE meta package) around a REAL kernel: Debian bookworm's cloud image and config
 * from the shared cache (fetched through the private apt setup on first use, 26 MB). No Ubuntu archive is reachable
 * here; this stands in for one, with apt itself checking the signature. Tagged "vm": it needs the Debian archive or a
 * warm cache.
 */
@Tag("vm")
@Requires({Capability.DEBIAN_ARCHIVE, Capability.GPG, Capability.DPKG_DEB})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UbuntuAptRepoVmTest {
    private static final String VERSION = "6.1.0-50.52";

    private Path dir;
    private Path gnupg;
    private Path keyring;
    private Path otherKeyring;
    private String release;
    private String imageSha;
    private LoopbackServer server;
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void publishTheArchive(@TempDir Path tmp) throws Exception {
        dir = tmp;
        AptRepo apt = new AptRepo(CacheDirs.root(), System.err::println);
        Path realDeb = apt.downloadPackage("bookworm", apt.newestKernelImage("bookworm", "linux-image-*-cloud-amd64").name());
        Path image = dir.resolve("real/vmlinuz");
        Path config = dir.resolve("real/config");
        Files.createDirectories(image.getParent());
        assertThat(PackageFormat.DEB.extract(realDeb, image, config)).hasValueSatisfying(x -> assertThat(x.config()).isTrue());
        release = BzImage.read(image).release();
        imageSha = Sha256.hex(image);

        gnupg = Files.createDirectories(dir.resolve("g"));
        Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        keyring = key("ringvm test archive <archive@ringvm.invalid>", "archive.gpg");
        otherKeyring = key("someone else <other@ringvm.invalid>", "other.gpg");

        Map<String, Path> debs = new LinkedHashMap<>();
        debs.put("linux-image-unsigned-" + release, deb("linux-image-unsigned-" + release, "linux-modules-" + release,
                Map.of("boot/vmlinuz-" + release, image)));
        debs.put("linux-image-" + release, deb("linux-image-" + release, "linux-modules-" + release,
                Map.of("boot/vmlinuz-" + release, image)));
        debs.put("linux-modules-" + release, deb("linux-modules-" + release, null, Map.of("boot/config-" + release, config)));
        debs.put("linux-image-generic-hwe-24.04", deb("linux-image-generic-hwe-24.04", "linux-image-" + release + ", linux-firmware", Map.of()));
        server = new LoopbackServer();
        publish("/ubuntu", "noble-updates", debs, "archive@ringvm.invalid");
        publish("/forged", "noble-updates", debs, "other@ringvm.invalid");
    }

    @AfterAll
    void stopGpgAgent() throws Exception {
        if (server != null) server.close();
        if (gnupg != null) ProcessRunner.run(List.of("gpgconf", "--homedir", gnupg.toString(), "--kill", "all"), Duration.ofSeconds(20));
    }

    private ProcessRunner.Result gpg(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", ""));
        argv.addAll(List.of(args));
        ProcessRunner.Result r = ProcessRunner.run(argv, dir, Duration.ofMinutes(2));
        assertThat(r.ok()).as(String.join(" ", argv) + ": " + r.tail(5)).isTrue();
        return r;
    }

    /** A new ed25519 signing key; its public key exported as a binary keyring file (what signed-by takes). */
    private Path key(String uid, String file) throws IOException {
        gpg("--quick-gen-key", uid, "ed25519", "sign", "0");
        Path out = dir.resolve(file);
        gpg("--output", out.toString(), "--export", uid.substring(uid.indexOf('<') + 1, uid.indexOf('>')));
        assertThat(Files.size(out)).isPositive();
        return out;
    }

    /** A real .deb built by dpkg-deb (zstd, as Ubuntu builds them) holding {@code files} (path in package -> source). */
    private Path deb(String name, String depends, Map<String, Path> files) throws IOException {
        Path root = dir.resolve("build").resolve(name);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + VERSION + "\nArchitecture: amd64\n"
                + "Maintainer: ringvm tests <tests@ringvm.invalid>\nSection: kernel\nPriority: optional\n"
                + (depends == null ? "" : "Depends: " + depends + "\n") + "Description: " + name + " (test archive)\n");
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Path target = root.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(f.getValue(), target);
        }
        Path deb = dir.resolve("build").resolve(name + "_" + VERSION + "_amd64.deb");
        ProcessRunner.Result r = ProcessRunner.run(List.of("dpkg-deb", "-Zzstd", "-z1", "--root-owner-group", "--build",
                root.toString(), deb.toString()), Duration.ofMinutes(2));
        assertThat(r.ok()).as(r.tail(5)).isTrue();
        return deb;
    }

    /** Ubuntu's layout under {@code base}: pool, Packages (plain, .gz, .xz), Release, InRelease and Release.gpg. */
    private void publish(String base, String suite, Map<String, Path> debs, String signer) throws IOException {
        StringBuilder packages = new StringBuilder();
        for (Map.Entry<String, Path> e : debs.entrySet()) {
            byte[] bytes = Files.readAllBytes(e.getValue());
            String pool = "pool/main/l/linux/" + e.getValue().getFileName();
            server.serve(base + "/" + pool, bytes);
            String control = ProcessRunner.run(List.of("dpkg-deb", "-f", e.getValue().toString()), Duration.ofMinutes(1)).stdout().strip();
            packages.append(control).append("\nFilename: ").append(pool).append("\nSize: ").append(bytes.length)
                    .append("\nSHA256: ").append(Sha256.hex(bytes)).append("\n\n");
        }
        byte[] plain = packages.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, byte[]> indexes = new LinkedHashMap<>();
        indexes.put("main/binary-amd64/Packages", plain);
        indexes.put("main/binary-amd64/Packages.gz", compress(plain, true));
        indexes.put("main/binary-amd64/Packages.xz", compress(plain, false));
        StringBuilder rel = new StringBuilder("Origin: Ubuntu\nLabel: Ubuntu\nSuite: " + suite + "\nVersion: 24.04\nCodename: noble\n"
                + "Date: " + ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(5).format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)) + "\n"
                + "Architectures: amd64\nComponents: main\nDescription: Ubuntu Noble Updates (ringvm test archive)\nSHA256:\n");
        for (Map.Entry<String, byte[]> e : indexes.entrySet()) {
            server.serve(base + "/dists/" + suite + "/" + e.getKey(), e.getValue());
            rel.append(' ').append(Sha256.hex(e.getValue())).append(' ').append(String.format("%16d", e.getValue().length))
                    .append(' ').append(e.getKey()).append('\n');
        }
        Path release = Files.writeString(dir.resolve("Release-" + base.substring(1)), rel.toString());
        Path inRelease = dir.resolve("InRelease-" + base.substring(1));
        Path detached = dir.resolve("Release.gpg-" + base.substring(1));
        gpg("--local-user", signer, "--digest-algo", "SHA256", "--output", inRelease.toString(), "--clearsign", release.toString());
        gpg("--local-user", signer, "--digest-algo", "SHA256", "--output", detached.toString(), "--armor", "--detach-sign", release.toString());
        server.serve(base + "/dists/" + suite + "/Release", Files.readAllBytes(release));
        server.serve(base + "/dists/" + suite + "/InRelease", Files.readAllBytes(inRelease));
        server.serve(base + "/dists/" + suite + "/Release.gpg", Files.readAllBytes(detached));
    }

    private static byte[] compress(byte[] data, boolean gzip) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = gzip ? new GzipCompressorOutputStream(b) : new XZCompressorOutputStream(b)) {
            o.write(data);
        }
        return b.toByteArray();
    }

    private KernelResolver resolver(Path cache, PackageArchive archive) {
        return new KernelResolver(cache, dir.resolve("kernels.lock"), archive, log::add, Clock.systemUTC());
    }

    private AptRepo repo(Path cache, List<String> hostOptions) {
        return new AptRepo(cache, null, hostOptions, AptRepo.DEFAULT_MAX_LIST_AGE, Duration.ofMinutes(2), log::add);
    }

    @Test
    void anEntryWithItsOwnArchiveAndKeyringResolvesTheUnsignedImage() throws Exception {
        Path cache = dir.resolve("cache-own");
        String archive = server.uri("/ubuntu").toString();
        KernelSource.AptSource src = new KernelSource.AptSource("linux-image-unsigned-6.1.0-*-cloud-amd64", "noble-updates", archive, keyring, null);
        ResolvedKernel k = resolver(cache, repo(cache, List.of())).resolve(new KernelEntry("ubuntu", src));
        assertThat(k.release()).isEqualTo(release);
        assertThat(k.sha256()).isEqualTo(imageSha);
        assertThat(k.packageName()).isEqualTo("linux-image-unsigned-" + release);
        assertThat(k.packageVersion()).isEqualTo(VERSION);
        assertThat(server.requests).contains("/ubuntu/dists/noble-updates/InRelease",
                "/ubuntu/pool/main/l/linux/linux-modules-" + release + "_" + VERSION + "_amd64.deb");
        assertThat(new KernelLock(dir.resolve("kernels.lock")).get("ubuntu")).hasValueSatisfying(e -> {
            assertThat(e.source()).isEqualTo("apt linux-image-unsigned-6.1.0-*-cloud-amd64 @ noble-updates from " + archive);
            assertThat(e.sha256()).isEqualTo(imageSha);
        });
        assertThat(Files.readString(cache.resolve("apt").resolve(AptTarget.of(src).key()).resolve("etc/sources.list")))
                .isEqualTo("deb [arch=amd64 signed-by=" + keyring + "] " + archive + " noble-updates main\n");
    }

    @Test
    void theHweMetaPackageFollowsItsDependsToTheSignedImage() throws Exception {
        Path cache = dir.resolve("cache-hwe");
        KernelSource.AptSource src = new KernelSource.AptSource("linux-image-generic-hwe-24.04", "noble-updates",
                server.uri("/ubuntu").toString(), keyring, null);
        ResolvedKernel k = resolver(cache, repo(cache, List.of())).resolve(new KernelEntry("hwe", src));
        assertThat(k.sha256()).isEqualTo(imageSha);
        assertThat(new KernelLock(dir.resolve("kernels.lock")).get("hwe"))
                .hasValueSatisfying(e -> assertThat(e.imagePackage()).isEqualTo("linux-image-" + release));
    }

    @Test
    void onAnUbuntuHostTheHostsArchiveAndSignedByAreUsed() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("host-etc/sources.list.d"));
        Files.writeString(etc.resolve("ubuntu.sources"), "Types: deb\nURIs: " + server.uri("/ubuntu") + "/\n"
                + "Suites: noble noble-updates noble-backports\nComponents: main restricted universe multiverse\n"
                + "Signed-By: " + keyring + "\n");
        List<String> hostOptions = List.of("-o", "Dir::Etc::SourceList=" + dir.resolve("host-etc/none.list"),
                "-o", "Dir::Etc::SourceParts=" + etc);
        Path cache = dir.resolve("cache-host");
        ResolvedKernel k = resolver(cache, repo(cache, hostOptions)).resolve(new KernelEntry("noble",
                new KernelSource.AptSource("linux-image-unsigned-6.1.0-*-cloud-amd64", "noble-updates")));
        assertThat(k.sha256()).isEqualTo(imageSha);
        assertThat(Files.readString(cache.resolve("apt/noble-updates/etc/sources.list")))
                .isEqualTo("deb [arch=amd64 signed-by=" + keyring + "] " + server.uri("/ubuntu") + " noble-updates main\n");
    }

    @Test
    void anArchiveSignedByAnotherKeyIsRefusedByApt() throws Exception {
        Path cache = dir.resolve("cache-forged");
        KernelSource.AptSource src = new KernelSource.AptSource("linux-image-unsigned-6.1.0-*-cloud-amd64", "noble-updates",
                server.uri("/forged").toString(), keyring, null);
        assertThatThrownBy(() -> resolver(cache, repo(cache, List.of())).resolve(new KernelEntry("forged", src)))
                .isInstanceOf(KernelUnavailableException.class)
                .hasMessageStartingWith("kernel forged: apt noble-updates from " + server.uri("/forged") + ": apt-get update failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").containsAnyOf("NO_PUBKEY", "not signed", "signatures"));
        assertThat(otherKeyring).exists();
        assertThat(server.requests).noneMatch(r -> r.startsWith("/forged/pool/"));
    }
}
