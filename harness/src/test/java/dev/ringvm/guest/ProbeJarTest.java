package dev.ringvm.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeJarTest {
    static final String USAGE = "usage: ring-init-probe --out PATH|- --nonce NONCE [--grid default] [--only REGEX]";

    @Test
    void jarFromDirectoryIsReproducibleWithTheManifestJavaJarNeeds(@TempDir Path tmp) throws Exception {
        Path classes = tmp.resolve("classes/dev/ringvm/probe");
        Files.createDirectories(classes);
        Files.write(classes.resolve("Main.class"), new byte[] {1, 2, 3});
        Files.write(classes.resolve("A.class"), new byte[] {4});
        Path a = ProbeJar.jarDirectory(tmp.resolve("classes"), tmp.resolve("cache1"));
        Path b = ProbeJar.jarDirectory(tmp.resolve("classes"), tmp.resolve("cache2"));
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(ProbeJar.jarDirectory(tmp.resolve("classes"), tmp.resolve("cache1"))).isEqualTo(a);
        try (JarFile jar = new JarFile(a.toFile())) {
            var attrs = jar.getManifest().getMainAttributes();
            assertThat(attrs.getValue("Main-Class")).isEqualTo("dev.ringvm.probe.Main");
            assertThat(attrs.getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            assertThat(jar.stream().map(e -> e.getName()))
                    .containsExactly("META-INF/MANIFEST.MF", "dev/ringvm/probe/A.class", "dev/ringvm/probe/Main.class");
        }
        Files.write(classes.resolve("A.class"), new byte[] {5});
        assertThat(ProbeJar.jarDirectory(tmp.resolve("classes"), tmp.resolve("cache1"))).isNotEqualTo(a);
    }

    /** The jar the guest image gets, run the way the guest's /init runs it: {@code java -jar}. */
    @Test
    void theLocatedProbeJarRunsWithJavaJar(@TempDir Path tmp) throws Exception {
        Path jar = ProbeJar.locate(tmp.resolve("cache"));

        Run bad = javaJar(jar, tmp, "--bogus", "x");
        assertThat(bad.exit).as(bad.err).isEqualTo(2);
        assertThat(bad.err).isEqualTo("ring-init-probe: unknown option --bogus\n" + USAGE + "\n");
        assertThat(bad.out).isEmpty();

        Run bare = javaJar(jar, tmp);
        assertThat(bare.exit).as(bare.err).isEqualTo(2);
        assertThat(bare.err).isEqualTo("ring-init-probe: --out and --nonce are required\n" + USAGE + "\n");

        // no case matches: the header and the end record only, and native access needs no warning
        Run none = javaJar(jar, tmp, "--out", "-", "--nonce", "n0nce", "--only", "^no-such-case$");
        assertThat(none.exit).as(none.err).isZero();
        assertThat(none.err).isEmpty();
        assertThat(none.out.lines().toList()).hasSize(2).satisfiesExactly(
                h -> assertThat(h).startsWith("{\"type\":\"header\",\"nonce\":\"n0nce\""),
                e -> assertThat(e).startsWith("{\"type\":\"end\",\"nonce\":\"n0nce\",\"count\":0"));
    }

    record Run(int exit, String out, String err) {}

    private static Run javaJar(Path jar, Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar " + jar + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
