package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI matrix on real VMs: Debian 6.12 at two memory sizes split over `run --shard 1/2` and `2/2` (one boot
 * each), then `ringvm merge` gives the whole matrix with every report.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
class ShardMergeVmTest {

    @TempDir
    Path dir;

    private int ringvm(StringWriter err, String... args) {
        return Main.newCommandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void twoShardsMergeIntoTheWholeMatrix() throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M, 2G]
                kernels:
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        ObjectMapper json = new ObjectMapper();
        for (int i = 1; i <= 2; i++) {
            StringWriter err = new StringWriter();
            int exit = ringvm(err, "run", "--kernels", yaml.toString(), "--shard", i + "/2", "--out",
                    dir.resolve("s" + i).toString(), "--jobs", "1");
            assertThat(exit).as(err.toString()).isZero();
            assertThat(err.toString()).contains("shard " + i + "/2: 1 of 2 cells");
            JsonNode run = json.readTree(dir.resolve("s" + i + "/run.json").toFile());
            assertThat(run.path("vms")).hasSize(1);
            assertThat(run.path("shard").path("index").asInt()).isEqualTo(i);
        }
        StringWriter err = new StringWriter();
        int exit = ringvm(err, "merge", "--out", dir.resolve("m").toString(), dir.resolve("s1").toString(),
                dir.resolve("s2").toString());
        assertThat(exit).as(err.toString()).isZero();
        JsonNode report = json.readTree(dir.resolve("m/report.json").toFile());
        assertThat(report.path("rows")).hasSize(2);
        assertThat(report.path("rows").findValuesAsText("cell")).containsExactly("debian-6.12-512M", "debian-6.12-2048M");
        assertThat(report.path("run").path("finishedVms").asInt()).isEqualTo(2);
        assertThat(dir.resolve("m/debian-6.12-2048M/console.log")).isNotEmptyFile();
        for (String f : new String[] {"junit.xml", "report.md", "report.html", "results.jsonl", "run.json"}) {
            assertThat(dir.resolve("m").resolve(f)).isRegularFile();
        }
    }
}
