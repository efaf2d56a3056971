package dev.ringvm.report;

import dev.ringvm.model.ExitCode;
import dev.ringvm.vm.ConsoleScanner;
import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.model.GuestRun;
import dev.ringvm.model.RunSummary;
import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;
import dev.ringvm.vm.ConsoleSamples;
import dev.ringvm.verdict.Judgement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.ringvm.run.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** report.html: self-contained, every verdict visible; rendered by headless Chromium when it is installed. */
class HtmlReportTest {
    @TempDir
    Path out;

    /** A run with every verdict: UNSUPPORTED, KNOWN_BUG, PASS, REGRESSION (+ console WARNING), FLAKY, INFRA. */
    static RunSummary variedRun(Path out) throws Exception {
        List<VmResult> vms = new ArrayList<>();
        vms.add(boot(out, "debian-6.1", "6.1.0-50-cloud-amd64", 0, grid("6.1.0-50-cloud-amd64", "EINVAL", 22), VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT));
        vms.add(boot(out, "repro-6.5", "6.5.0", 0, mixed("6.5.0", "ok", "EFAULT", "EFAULT"), VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT));
        vms.add(boot(out, "luck-6.8", "6.8.12", 0, mixed("6.8.12", "ok", "ok", "EINVAL"), VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT));
        vms.add(boot(out, "luck-6.8", "6.8.12", 1, mixed("6.8.12", "ok", "EINVAL", "EINVAL"), VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT));
        vms.add(boot(out, "debian-6.12", "6.12.117+deb13-cloud-amd64", 0, mixed("6.12.117+deb13-cloud-amd64", "ok", "ok", "EINVAL"), VmResult.Status.COMPLETE, ConsoleSamples.WARNING));
        vms.add(boot(out, "debian-6.12", "6.12.117+deb13-cloud-amd64", 1, mixed("6.12.117+deb13-cloud-amd64", "ok", "ok", "ok"), VmResult.Status.COMPLETE, ConsoleSamples.CLEAN_BOOT));
        vms.add(boot(out, "crash", "6.12.3", 0, grid("6.12.3", "ok", 0).subList(0, 4), VmResult.Status.INCOMPLETE, ConsoleSamples.OOPS_PANIC));
        return new RunSummary(NONCE, Instant.parse("2026-11-25T20:00:00Z"), Instant.parse("2026-11-25T20:03:00Z"), out,
                "tcg", "no /dev/kvm", vms.size(), vms, List.of());
    }

    private static List<String> mixed(String release, String single, String multi1, String multi2) {
        List<String> lines = new ArrayList<>(grid(release, "ok", 0));
        lines.set(2, result(0, "memalign", 1, 1, 1, single, errno(single)));
        lines.set(4, result(1, "memalign", 128, 2, 1, multi1, errno(multi1)));
        lines.set(6, result(2, "memalign", 4096, 64, 2, multi2, errno(multi2)).replace("\"sqePageKiB\"", "\"sqeContiguous\":false,\"sqeFirstGap\":3,\"sqePageKiB\""));
        return lines;
    }

    private static int errno(String r) {
        return switch (r) { case "ok" -> 0; case "EFAULT" -> 14; default -> 22; };
    }

    private static VmResult boot(Path out, String id, String release, int repeat, List<String> lines, VmResult.Status st,
                                 String console) throws Exception {
        VmJob job = new VmJob(kernel(id, release), 512, repeat, null);
        Path dir = Files.createDirectories(out.resolve(job.name()));
        Files.writeString(dir.resolve("console.log"), console);
        return new VmResult(job, st, st == VmResult.Status.COMPLETE ? "" : "powered off without the probe's end record (1 results) during case memalign/sq128",
                GuestRun.parse(lines, NONCE), Duration.ofSeconds(14), "tcg", dir.resolve("console.log"), dir.resolve("results.log"),
                ConsoleScanner.facts(dir.resolve("console.log")));
    }

    @Test
    void selfContainedWithEveryVerdictAndTheConsoleExcerpt() throws Exception {
        Judgement j = RunDirectory.write(variedRun(out));
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).doesNotContain("http://", "https://", "<link", "src=\"");
        for (String v : List.of("v-UNSUPPORTED", "v-KNOWN_BUG", "v-PASS", "v-REGRESSION", "v-FLAKY", "v-INFRA")) assertThat(html).contains(v);
        assertThat(html).contains("io_uring/memmap.c:214").contains("BUG: kernel NULL pointer dereference");
        assertThat(j.exitCode()).isEqualTo(ExitCode.UNEXPECTED);
    }

    @Test
    void textIsEscapedAndTheEmbeddedJsonCannotCloseItsScript() throws Exception {
        RunSummary s = variedRun(out);
        s = new RunSummary(s.nonce(), s.started(), s.finished(), s.outDir(), "tcg</script>", s.accelReason(), s.planned(),
                s.vms(), List.of(new dev.ringvm.model.UnavailableKernel("gone", "apt x @ y", "no \"pkg\" <x> & 'y' ·")));
        String html = HtmlReport.render(dev.ringvm.verdict.Judge.standard(s));
        assertThat(html).contains("<p class=\"unavail\">gone: unavailable: no &quot;pkg&quot; &lt;x&gt; &amp; 'y' ·</p>")
                .contains("accel tcg&lt;/script&gt; · nonce").contains("tcg<\\/script>").doesNotContain("tcg</script>");
    }

    @Test
    @Requires(Capability.CHROMIUM)
    void chromiumRendersANonTrivialScreenshot() throws Exception {
        Path chromium = Capability.chromium().orElseThrow();
        RunDirectory.write(variedRun(out));
        Path png = out.resolve("report.png");
        Path profile = Files.createDirectory(out.resolve("chromium-profile"));
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=1400,900",
                out.resolve("report.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s");
        }
        assertThat(png).as(Files.readString(out.resolve("chromium.log"))).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1400);
        assertThat(img.getHeight()).isEqualTo(900);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) for (int x = 0; x < img.getWidth(); x += 7) colours.add(img.getRGB(x, y));
        assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
        String keep = System.getProperty("ringvm.screenshot");
        if (keep != null) Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
