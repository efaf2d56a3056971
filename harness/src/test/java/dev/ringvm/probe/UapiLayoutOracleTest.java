package dev.ringvm.probe;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.kernel.AptRepo;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.kernel.DebArchive;
import dev.ringvm.probe.ffm.IoUringH;
import dev.ringvm.probe.ffm.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout oracle: every hand-written size, offset and constant of the probe's io_uring bindings against what
 * gcc computes from the real UAPI header. Bookworm's headers (6.1) lack the NO_MMAP fields, so the header comes
 * from trixie's {@code linux-libc-dev}, fetched through the same private apt configuration the kernels use.
 * Part of the default build (no VM): it needs gcc and the Debian archive.
 */
@Requires({Capability.GCC, Capability.DEBIAN_ARCHIVE})
class UapiLayoutOracleTest {

    @Test
    void bindingsMatchTrixieLinuxIoUringH(@TempDir Path dir) throws Exception {
        Path deb = new AptRepo(CacheDirs.root(), System.err::println).downloadPackage("trixie", "linux-libc-dev");
        Path headers = dir.resolve("headers");
        DebArchive.extract(deb, name -> name.contains("/usr/include/"), headers);
        Path include = headers.resolve("usr/include");
        assertThat(include.resolve("linux/io_uring.h")).exists();

        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <sys/syscall.h>
                #include <sys/mman.h>
                #include <sys/resource.h>
                #include <sys/auxv.h>
                #include <linux/mman.h>
                #include <linux/io_uring.h>
                #define FACT(k, v) printf("%s=%lld\\n", k, (long long)(v))
                int main(void) {
                """);
        IoUringH.layoutFacts().keySet().forEach(k -> c.append("  FACT(\"").append(k).append("\", ").append(k).append(");\n"));
        IoUringH.constantFacts().keySet().forEach(k -> c.append("  FACT(\"").append(k).append("\", ").append(k).append(");\n"));
        LibC.constantFacts().keySet().forEach(k -> c.append("  FACT(\"").append(k).append("\", ").append(k).append(");\n"));
        c.append("  return 0;\n}\n");
        Path src = Files.writeString(dir.resolve("oracle.c"), c);
        Path exe = dir.resolve("oracle");
        // the extracted tree first, so its linux/ and asm/ headers win over the host's 6.1 ones
        String out = run(List.of("gcc", "-I", include.toString(), "-I", include.resolve("x86_64-linux-gnu").toString(),
                "-o", exe.toString(), src.toString()));
        assertThat(out).as("gcc output").doesNotContain("error");
        Map<String, Long> fromC = new LinkedHashMap<>();
        for (String line : run(List.of(exe.toString())).split("\n")) {
            int eq = line.lastIndexOf('=');
            fromC.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
        assertThat(fromC).containsExactlyInAnyOrderEntriesOf(merge(merge(IoUringH.layoutFacts(), IoUringH.constantFacts()), LibC.constantFacts()));
    }

    private static Map<String, Long> merge(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static String run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(argv.getFirst() + ": " + out).isZero();
        return out;
    }
}
