package dev.ringvm.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ringvm kernels} and {@code ringvm run --require-all} with local and unreachable kernels; no QEMU, no network. */
class KernelsCommandTest extends CommandTest {

    private Path bzImage(String version) throws Exception {
        return Files.write(dir.resolve("bzImage"), dev.ringvm.kernel.TestDebs.bzImage(version));
    }

    @Test
    void tableShowsReadyAndUnavailableKernelsAndExits3() throws Exception {
        bzImage("6.12.1-test (me@here) #1");
        Path y = yaml("""
                kernels:
                  - id: local
                    source: { path: bzImage }
                  - id: offline
                    source: { deb: "http://127.0.0.1:1/linux-image.deb" }
                  - id: here
                    source: { host: true }
                """);
        int code = run("kernels", "--kernels", y.toString(), "--cache", dir.resolve("cache").toString());
        assertThat(code).as(err.toString()).isEqualTo(3);
        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).matches("id\\s+source\\s+version\\s+sha256\\s+cache\\s+state");
        assertThat(lines[1]).matches("local\\s+path \\S+bzImage\\s+6\\.12\\.1-test\\s+[0-9a-f]{12}\\s+\\S+bzImage\\s+ready");
        assertThat(lines[2]).matches("offline\\s+deb http://127.0.0.1:1/linux-image.deb\\s+-\\s+-\\s+-\\s+"
                + "unavailable: http://127.0.0.1:1/linux-image.deb: cannot connect.*");
        assertThat(lines[3]).matches("here\\s+host\\s+" + java.util.regex.Pattern.quote(
                Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip()) + "\\s+-\\s+-\\s+ready");
        assertThat(lines).hasSize(4);
        assertThat(err.toString()).contains("unavailable: kernel offline:");
    }

    @Test
    void allReadyExits0() throws Exception {
        bzImage("6.12.1-test (me@here) #1");
        Path y = yaml("kernels:\n  - id: local\n    source: { path: bzImage }\n");
        assertThat(run("kernels", "--kernels", y.toString(), "--cache", dir.resolve("cache").toString())).isEqualTo(0);
        assertThat(out.toString()).contains("ready");
    }

    @Test
    void configErrorsExit2() throws Exception {
        Path y = yaml("kernels:\n  - id: m\n    source: { mainline: \"6.5\" }\n");
        assertThat(run("kernels", "--kernels", y.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("kernels[0].source.mainline: bad mainline version").hasLineCount(1);
        Path ok = yaml("kernels:\n  - id: m\n    source: { mainline: v6.5 }\n");
        assertThat(run("kernels", "--kernels", ok.toString(), "--mainline-base", "ftp://mirror/")).isEqualTo(2);
        assertThat(err.toString()).contains("--mainline-base: expected an http(s) URL");
    }

    @Test
    void aBuildThatFailsMarksOnlyThatKernelUnavailable() throws Exception {
        // a "tree" that is no kernel tree: the real builder copies it, runs make tinyconfig, and reports the failure
        bzImage("6.12.1-test (me@here) #1");
        Path tree = java.nio.file.Files.createDirectories(dir.resolve("not-linux"));
        java.nio.file.Files.writeString(tree.resolve("Makefile"), "tinyconfig:\n\t@echo 'error: this is not a kernel tree' >&2; exit 2\n");
        Path y = yaml("kernels:\n  - id: b\n    source: { build: { tree: not-linux, config: tinyconfig } }\n"
                + "  - id: local\n    source: { path: bzImage }\n");
        assertThat(run("kernels", "--kernels", y.toString(), "--cache", dir.resolve("cache").toString())).isEqualTo(3);
        assertThat(out.toString()).contains("unavailable: b: make tinyconfig failed: error: this is not a kernel tree (log: ");
        assertThat(out.toString()).containsPattern("local .*ready");
    }

    @Test
    void runWithOnlyUnavailableKernelsTestedNothingAndExits3() throws Exception {
        Path y = yaml("kernels:\n  - id: offline\n    source: { deb: \"http://127.0.0.1:1/x.deb\" }\n");
        String[] common = {"--kernels", y.toString(), "--cache", dir.resolve("cache").toString(), "--qemu", "/bin/true"};
        String[] lenient = concat(new String[] {"run", "--out", dir.resolve("a").toString()}, common);
        // offline alone would not fail the run; but then nothing was tested, and that never passes
        assertThat(run(lenient)).as(err.toString()).isEqualTo(3);
        assertThat(err.toString()).contains("unavailable: kernel offline: http://127.0.0.1:1/x.deb")
                .contains("nothing was tested: no kernel of the matrix could be booted or probed (exit 3)");
        assertThat(out.toString()).contains("UNAVAILABLE  offline: ").contains("nothing was tested");
        String[] strict = concat(new String[] {"run", "--require-all", "--out", dir.resolve("b").toString()}, common);
        assertThat(run(strict)).isEqualTo(3);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
