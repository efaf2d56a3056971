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
 * From 6.14 io_uring charges ring memory to RLIMIT_MEMLOCK unless the caller holds CAP_IPC_LOCK; from 7.2 only
 * registered memory regions are charged. Debian's 7.1 and newest 7.x with {@code unprivileged: 64K}: the probe runs
 * as uid 65534 under a 64 KiB limit. On 7.1 every case must answer ENOMEM exactly when the memory it pins (its
 * regions page-rounded, plus the carrier ring for the other families) exceeds 64 KiB; on 7.3 only the wait regions
 * do (their own pages), and every ring works whatever its size.
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
                  - id: debian-7.1-user
                    source: { apt: "linux-image-7.1*-cloud-amd64", suite: trixie-backports }
                    unprivileged: 64K
                  - id: debian-7.x-user
                    source: { apt: "linux-image-7.*-cloud-amd64", suite: trixie-backports }
                    unprivileged: 64K
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path runDir = dir.resolve("run");
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("run", "--kernels", yaml.toString(), "--out", runDir.toString(), "--jobs", "2");
        System.out.println(out);
        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        assertThat(report.path("vms")).as(err.toString()).hasSize(2)
                .allMatch(v -> v.path("status").asText().equals("COMPLETE"));
        for (String vm : List.of("debian-7.1-user-512M", "debian-7.x-user-512M")) {
            assertThat(Files.readString(runDir.resolve(vm + "/results.log"))).as(vm + ": the header")
                    .contains("\"uid\":65534").contains("\"capIpcLock\":false").contains("\"memlockSoft\":65536");
        }
        List<JsonNode> cells = new ArrayList<>();
        report.path("cells").forEach(cells::add);
        SoftAssertions.assertSoftly(soft -> {
            for (JsonNode c : cells) {
                String edge = c.path("edge").asText();
                if (!c.path("edge").isNull() && !edge.equals("aliased")) continue; // refused before any pinning
                boolean ringsCharged = c.path("kernel").asText().equals("debian-7.1-user");
                boolean charged = ringsCharged || c.path("family").asText().equals("mem-region");
                long need = need(c, ringsCharged);
                String id = c.path("kernel").asText() + " " + c.path("id").asText() + " (pins " + need + "): "
                        + c.path("result").asText() + " " + c.path("verdict").asText() + " " + c.path("reason").asText();
                if (charged && need > LIMIT) {
                    soft.assertThat(c.path("result").asText()).as(id).isEqualTo("ENOMEM");
                    soft.assertThat(c.path("verdict").asText()).as(id).isEqualTo("KNOWN_BUG");
                } else {
                    soft.assertThat(c.path("result").asText()).as(id).isEqualTo("ok");
                    soft.assertThat(c.path("verdict").asText()).as(id).isIn("PASS", "KNOWN_BUG");
                }
            }
        });
        assertThat(cells).as("7.1: cases over and under the limit").filteredOn(c -> c.path("kernel").asText().equals("debian-7.1-user"))
                .anyMatch(c -> c.path("result").asText().equals("ENOMEM") && c.path("family").asText().equals("rings"))
                .anyMatch(c -> c.path("result").asText().equals("ok") && c.path("family").asText().equals("rings"));
        assertThat(exit).as(err.toString()).isZero();
    }

    /** What the case pins and the kernel charges (Judge.chargedBytes): the carrier ring only where rings are charged. */
    static long need(JsonNode c, boolean ringsCharged) {
        long pages = c.path("sqePages").asLong() + c.path("ringPages").asLong()
                + (!c.path("family").asText().equals("rings") && ringsCharged ? 2 : 0);
        return pages * 4096;
    }
}
