package dev.ringvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.host.ProcessRunner;
import dev.ringvm.host.Sha256;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.kernel.DebArchive;
import dev.ringvm.kernel.RpmArchive;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rpm:} end to end with RPMs that rpmbuild makes here around a REAL kernel: Debian bookworm's cloud image and
 * its config (from the shared cache, fetched through the private apt setup on first use, 26 MB), laid out as Fedora's
 * and RHEL's kernel-core lays them ({@code /lib/modules/R/vmlinuz}, {@code /lib/modules/R/config}), with xz, zstd and
 * gzip payloads; the zstd one (Fedora's) is booted with {@code ringvm run}. No Fedora or RHEL archive is reachable
 * here; this stands in for their packages.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE, Capability.RPMBUILD})
class RpmKernelVmTest {

    /** Builds kernel-core-VERSION-1.ringvm.x86_64.rpm with {@code payload} (rpm's _binary_payload) under {@code top}. */
    private static Path rpmbuild(Path top, String release, String version, Path image, Path config, String payload) throws Exception {
        Path spec = Files.writeString(top.resolve("kernel-core.spec"), """
                %%global debug_package %%{nil}
                %%define __os_install_post %%{nil}
                Name: kernel-core
                Version: %s
                Release: 1.ringvm
                Summary: Debian's cloud kernel packaged as a kernel-core RPM for ringvm's tests
                License: GPL-2.0-only
                %%description
                The kernel image and config, laid out as Fedora and RHEL lay them.
                %%install
                mkdir -p %%{buildroot}/lib/modules/%s
                cp %s %%{buildroot}/lib/modules/%s/vmlinuz
                cp %s %%{buildroot}/lib/modules/%s/config
                %%files
                /lib/modules/%s/vmlinuz
                /lib/modules/%s/config
                """.formatted(version, release, image, release, config, release, release, release));
        ProcessRunner.Result r = ProcessRunner.run(List.of("rpmbuild", "-bb", "--nodeps", "--define", "_topdir " + top,
                "--define", "_binary_payload " + payload, spec.toString()), Duration.ofMinutes(5));
        assertThat(r.ok()).as(r.tail(10)).isTrue();
        try (Stream<Path> s = Files.walk(top.resolve("RPMS"))) {
            return s.filter(p -> p.toString().endsWith(".rpm")).findFirst().orElseThrow();
        }
    }

    @Test
    void aKernelCoreRpmBuiltByRpmbuildIsReadWithEachPayloadAndBoots(@TempDir Path dir) throws Exception {
        AptRepo apt = new AptRepo(CacheDirs.root(), System.err::println);
        Path deb = apt.downloadPackage("bookworm", apt.newestKernelImage("bookworm", "linux-image-*-cloud-amd64").name());
        List<Path> got = DebArchive.extract(deb, n -> n.matches("\\./boot/(vmlinuz|config)-.*"), dir.resolve("deb"));
        Path image = got.stream().filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst().orElseThrow();
        Path config = got.stream().filter(p -> p.getFileName().toString().startsWith("config-")).findFirst().orElseThrow();
        String release = image.getFileName().toString().substring("vmlinuz-".length());
        String version = release.substring(0, release.indexOf('-'));

        Path zstd = null;
        for (String[] p : List.of(new String[] {"xz", "w2.xzdio"}, new String[] {"zstd", "w3.zstdio"}, new String[] {"gzip", "w6.gzdio"})) {
            Path top = Files.createDirectories(dir.resolve("rpmbuild-" + p[0]));
            Path rpm = rpmbuild(top, release, version, image, config, p[1]);
            Path out = dir.resolve("out-" + p[0]);
            assertThat(RpmArchive.extractKernelImage(rpm, out)).contains("./lib/modules/" + release + "/vmlinuz");
            assertThat(Sha256.hex(out)).as(p[0]).isEqualTo(Sha256.hex(image));
            System.out.println("rpmbuild " + p[0] + ": " + rpm.getFileName() + " " + Files.size(rpm) + " bytes");
            if (p[0].equals("zstd")) zstd = rpm;
        }

        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), "memory: [512M]\nkernels:\n"
                + "  - id: rpm-6.1\n    source: { rpm: " + zstd + ", sha256: " + Sha256.hex(zstd) + " }\n");
        Cli kernels = new Cli();
        assertThat(kernels.run("kernels", "--kernels", yaml.toString())).as(kernels.err.toString()).isZero();
        assertThat(kernels.out.toString()).contains("rpm-6.1", "rpm " + zstd, release, "ready");

        Cli run = new Cli();
        Path runDir = dir.resolve("run");
        int exit = run.run("run", "--kernels", yaml.toString(), "--out", runDir.toString(), "--accel", "tcg");
        System.out.println(run.out);
        assertThat(exit).as(run.err.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        assertThat(report.path("vms")).hasSize(1).allMatch(v -> v.path("status").asText().equals("COMPLETE"));
        assertThat(report.path("cells")).isNotEmpty().allSatisfy(c -> {
            assertThat(c.path("kernel").asText()).isEqualTo("rpm-6.1");
            assertThat(c.path("verdict").asText()).isIn("UNSUPPORTED", "PASS");
        });
        JsonNode header = new ObjectMapper().readTree(Files.readAllLines(runDir.resolve("results.jsonl")).getFirst());
        assertThat(header.toString()).contains(release);
    }
}
