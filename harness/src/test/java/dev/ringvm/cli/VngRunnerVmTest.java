package dev.ringvm.cli;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run --runner vng} on Debian's 6.12 cloud kernel against the QEMU runner on the same kernel, for the
 * {@code sq4} cases (single- and multi-page, every backing): both complete, with the same cells and outcomes.
 * Skips where virtme-ng is absent (not packaged for bookworm) or QEMU is.
 */
@Tag("vm")
@Requires({Capability.VNG, Capability.QEMU, Capability.BUSYBOX, Capability.DEBIAN_ARCHIVE})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VngRunnerVmTest {
    private static final String ONLY = "sq4";

    private Path dir;
    private Cli vng;
    private int vngExit;
    private Cli qemu;
    private int qemuExit;

    @BeforeAll
    void runBothRunners(@TempDir Path dir) throws Exception {
        this.dir = dir;
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M]
                kernels:
                  - id: debian-6.12
                    source: { apt: "linux-image-*-cloud-amd64", suite: trixie }
                """);
        vng = new Cli();
        vngExit = vng.run("run", "--runner", "vng", "--kernels", yaml.toString(), "--out", dir.resolve("vng").toString(),
                "--only", ONLY);
        qemu = new Cli();
        qemuExit = qemu.run("run", "--kernels", yaml.toString(), "--out", dir.resolve("qemu").toString(), "--only", ONLY);
        System.err.println(vng.err);
        System.out.println(vng.out);
    }

    private JsonNode report(String runner) throws Exception {
        return new ObjectMapper().readTree(dir.resolve(runner).resolve("report.json").toFile());
    }

    /** Case id -> "result ringWorks guardsIntact verdict" of every cell. */
    private Map<String, String> outcomes(String runner) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode c : report(runner).path("cells")) {
            m.put(c.path("id").asText(), c.path("result").asText() + " " + c.path("ringWorks").asBoolean() + " "
                    + c.path("guardsIntact").asBoolean() + " " + c.path("verdict").asText());
        }
        return m;
    }

    @Test
    void vngBootsTheKernelAndTheRecordsAreComplete() throws Exception {
        assertThat(vngExit).as(vng.err.toString()).isZero();
        assertThat(vng.err.toString()).contains("runner vng: ").doesNotContain("initramfs");
        JsonNode vm = report("vng").path("vms").get(0);
        assertThat(vm.path("status").asText()).as(vm.path("detail").asText()).isEqualTo("COMPLETE");
        assertThat(vm.path("release").asText()).startsWith("6.12.");
        List<String> types = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("vng/debian-6.12-512M/results.log"))) {
            JsonNode n = new ObjectMapper().readTree(line);
            types.add(n.path("type").asText());
        }
        // header, begin/result per case, end with the case count: nothing of the console mixed in
        assertThat(types.getFirst()).isEqualTo("header");
        assertThat(types.getLast()).isEqualTo("end");
        assertThat(types.stream().filter("result"::equals).count()).isEqualTo(20);
        assertThat(Files.readString(dir.resolve("vng/debian-6.12-512M/console.log")))
                .contains("ringvm: probe starting").contains("ringvm: probe exited rc=0");
    }

    @Test
    void vngAndQemuGiveTheSameCellsAndOutcomes() throws Exception {
        assertThat(qemuExit).as(qemu.err.toString()).isZero();
        Map<String, String> byVng = outcomes("vng");
        assertThat(byVng).hasSize(20).allSatisfy((id, o) -> assertThat(o).as(id).isEqualTo("ok true true PASS"));
        assertThat(byVng).isEqualTo(outcomes("qemu"));
        assertThat(report("vng").path("rows").toString()).isEqualTo(report("qemu").path("rows").toString());
    }
}
