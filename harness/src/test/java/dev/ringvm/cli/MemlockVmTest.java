package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Since 6.14 io_uring charges ring memory to RLIMIT_MEMLOCK unless the caller holds CAP_IPC_LOCK. The newest
 * Debian 7.x kernel with {@code unprivileged: 64K}: the probe runs as uid 65534 under a 64 KiB limit, and every case
 * must answer ENOMEM exactly when the memory it pins (its regions page-rounded, plus the carrier ring for the other
 * families) exceeds 64 KiB, and work otherwise.
 */
@Tag("vm")
@Requires({Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
class MemlockVmTest {
    static final long LIMIT = 64 * 1024;

    @Test
    void unprivilegedEnomemExactlyWhereTheLimitIsExceeded(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("kernels.yaml");
        Files.writeString(yaml, """
                memory: [512M]
                kernels:
                  - id: debian-7.x-user
                    source: { apt: "linux-image-7.*-cloud-amd64", suite: trixie-backports }
                    unprivileged: 64K
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path runDir = dir.resolve("run");
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("run", "--kernels", yaml.toString(), "--out", runDir.toString());
        System.out.println(out);
        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        assertThat(report.path("vms").get(0).path("status").asText()).as(err.toString()).isEqualTo("COMPLETE");
        String results = Files.readString(runDir.resolve("debian-7.x-user-512M/results.log"));
        assertThat(results).as("the header: uid 65534, no CAP_IPC_LOCK, the limit")
                .contains("\"uid\":65534").contains("\"capIpcLock\":false").contains("\"memlockSoft\":65536");
        List<JsonNode> cells = new ArrayList<>();
        report.path("cells").forEach(cells::add);
        assertThat(cells).as("cases over and under the limit")
                .anyMatch(c -> need(c) > LIMIT && c.path("edge").isNull())
                .anyMatch(c -> need(c) <= LIMIT && c.path("edge").isNull());
        SoftAssertions.assertSoftly(soft -> {
            for (JsonNode c : cells) {
                String edge = c.path("edge").asText();
                if (!c.path("edge").isNull() && !edge.equals("aliased")) continue; // refused before any pinning
                String id = c.path("id").asText() + " (pins " + need(c) + "): " + c.path("result").asText() + " "
                        + c.path("verdict").asText() + " " + c.path("reason").asText();
                if (need(c) > LIMIT) {
                    soft.assertThat(c.path("result").asText()).as(id).isEqualTo("ENOMEM");
                    soft.assertThat(c.path("verdict").asText()).as(id).isEqualTo("KNOWN_BUG");
                } else {
                    soft.assertThat(c.path("result").asText()).as(id).isEqualTo("ok");
                    soft.assertThat(c.path("verdict").asText()).as(id).isIn("PASS", "KNOWN_BUG");
                }
            }
        });
        assertThat(exit).as(err.toString()).isZero();
    }

    /** What the case pins and 6.14+ charges: as the judge counts it (Judge.chargedBytes). */
    static long need(JsonNode c) {
        long pages = c.path("sqePages").asLong() + c.path("ringPages").asLong()
                + (c.path("family").asText().equals("rings") ? 0 : 2);
        return pages * 4096;
    }
}
