package dev.ringvm.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LddTest {
    static final String JAVA_AND_BUSYBOX = """
            /opt/jre/bin/java:
            \tlinux-vdso.so.1 (0x00007fad1926f000)
            \tlibjli.so => /opt/jre/bin/../lib/libjli.so (0x00007fad19245000)
            \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fad19057000)
            \t/lib64/ld-linux-x86-64.so.2 (0x00007fad19271000)
            /bin/busybox:
            \tnot a dynamic executable
            /opt/static:
            \tstatically linked
            """;

    @Test
    void parsesArrowBareVdsoAndSkipsHeaders() {
        List<Ldd.Dependency> deps = Ldd.parse(JAVA_AND_BUSYBOX);
        assertThat(deps).containsExactly(
                new Ldd.Dependency("linux-vdso.so.1", null, false),
                new Ldd.Dependency("libjli.so", Path.of("/opt/jre/lib/libjli.so"), false),
                new Ldd.Dependency("libc.so.6", Path.of("/lib/x86_64-linux-gnu/libc.so.6"), false),
                new Ldd.Dependency("/lib64/ld-linux-x86-64.so.2", Path.of("/lib64/ld-linux-x86-64.so.2"), false));
    }

    @Test
    void singleFileOutputWithoutHeaderAndNotFound() {
        String out = "\tlibfoo.so.1 => not found\n\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f00)\n";
        assertThat(Ldd.parse(out)).containsExactly(
                new Ldd.Dependency("libfoo.so.1", null, true),
                new Ldd.Dependency("libm.so.6", Path.of("/lib/x86_64-linux-gnu/libm.so.6"), false));
    }

    @Test
    void hostLibrariesOfTheRunningJavaIncludeLibcAndTheLoaderButNotTheJdksOwn() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        var libs = Ldd.hostLibraries(List.of(javaHome.resolve("bin/java"), javaHome.resolve("lib/server/libjvm.so")),
                javaHome);
        assertThat(libs).anyMatch(p -> p.getFileName().toString().startsWith("libc.so"));
        assertThat(libs).anyMatch(p -> p.getFileName().toString().startsWith("ld-linux"));
        assertThat(libs).noneMatch(p -> p.startsWith(javaHome));
    }
}
