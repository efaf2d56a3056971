package dev.ringvm.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeJarTest {
    @Test
    void jarFromDirectoryIsReproducibleAndRunnable(@TempDir Path tmp) throws Exception {
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
}
