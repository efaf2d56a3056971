package dev.ringvm.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringvm.probe.ffm.IoUringH;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compares layoutFacts()/constantFacts() with what gcc computes from the installed linux/io_uring.h. */
class LayoutOracleTest {
    @Test
    void layoutAndConstantsMatchTheCHeader(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/include/linux/io_uring.h")), "no linux/io_uring.h installed");
        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <sys/syscall.h>
                #include <linux/io_uring.h>
                #ifndef IORING_SETUP_NO_MMAP
                #define user_addr resv2 /* headers before 6.5 name the same __u64 resv2 */
                #endif
                int main(void) {
                """);
        for (String k : IoUringH.layoutFacts().keySet()) {
            c.append("  printf(\"%s=%lld\\n\", ").append(JsonLine.quote(k)).append(", (long long)(").append(k)
                    .append("));\n");
        }
        for (String k : IoUringH.constantFacts().keySet()) {
            c.append("#ifdef ").append(k).append("\n  printf(\"%s=%lld\\n\", \"").append(k)
                    .append("\", (long long)(").append(k).append("));\n#endif\n");
        }
        c.append("  return 0;\n}\n");
        Path src = dir.resolve("oracle.c"), exe = dir.resolve("oracle");
        Files.writeString(src, c);
        Process cc;
        try {
            cc = new ProcessBuilder(List.of("gcc", "-o", exe.toString(), src.toString())).redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "gcc not available: " + e.getMessage());
            return;
        }
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String ccOut = new String(cc.getInputStream().readAllBytes());
        assertThat(cc.exitValue()).as(ccOut).isZero();
        Process run = new ProcessBuilder(List.of(exe.toString())).start();
        String out = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Map<String, Long> fromC = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.lastIndexOf('=');
            fromC.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
        assertThat(fromC).containsAllEntriesOf(IoUringH.layoutFacts());
        for (Map.Entry<String, Long> e : IoUringH.constantFacts().entrySet()) {
            if (fromC.containsKey(e.getKey())) { // older headers lack NO_MMAP / NO_SQARRAY
                assertThat(fromC.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }
}
