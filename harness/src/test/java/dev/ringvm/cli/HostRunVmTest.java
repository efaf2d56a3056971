package dev.ringvm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringvm run} with only {@code { host: true }}: the probe runs on this machine's kernel, no QEMU, no guest
 * image. Tagged {@code vm} (it runs the real probe with io_uring on the host). Expects a NO_MMAP kernel of
 * 6.10 or newer (every case passes), except hugetlb cases, which may fail to allocate when no huge pages are
 * reserved (the probe's header reports hugePagesFree).
 */
@Tag("vm")
class HostRunVmTest {

    @TempDir
    Path dir;

    @Test
    void hostOnlyMatrixRunsTheProbeOnTheRunningKernel() throws Exception {
        Path yaml = Files.writeString(dir.resolve("kernels.yaml"), """
                memory: [512M, 2G]
                kernels:
                  - id: here
                    source: { host: true }
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path run = dir.resolve("run");
        int code = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(
                "run", "--kernels", yaml.toString(), "--out", run.toString(), "--cache", dir.resolve("cache").toString(),
                "--qemu", "/nonexistent/qemu", "--timeout", "120s");
        boolean hugePagesMissing = out.toString().contains("ALLOC_FAILED");
        // every case must pass on this (6.10+) host; hugetlb cases that could not even allocate (no huge pages
        // reserved on the host) are INFRA: exit 3, with the reason saying so
        if (hugePagesMissing) {
            assertThat(code).as("stderr:\n" + err).isEqualTo(3);
            assertThat(out.toString()).contains("no free huge pages");
        } else {
            assertThat(code).as("stdout:\n" + out + "\nstderr:\n" + err).isEqualTo(0);
        }
        assertThat(err.toString()).doesNotContain("guest image").doesNotContain("accel kvm").doesNotContain("accel tcg");
        // one job regardless of the memory list
        assertThat(run.resolve("here-host/console.log")).exists();
        assertThat(run.resolve("here-host/results.log")).exists();
        try (var s = Files.list(run)) {
            assertThat(s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList()).containsExactly("here-host");
        }

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> results = new ArrayList<>();
        JsonNode header = null;
        for (String line : Files.readAllLines(run.resolve("results.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.path("type").asText().equals("result")) results.add(n);
            if (n.path("type").asText().equals("header")) header = n;
        }
        assertThat(header).isNotNull();
        assertThat(header.path("release").asText()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        assertThat(results).isNotEmpty();
        List<String> failures = new ArrayList<>();
        for (JsonNode c : results) {
            String id = c.path("id").asText();
            String result = c.path("result").asText();
            boolean passed = result.equals("ok") && c.path("ringWorks").asBoolean() && c.path("guardsIntact").asBoolean(true);
            if (!c.path("family").asText().equals("rings") || c.path("edge").asText().equals("aliased")) {
                // what these answer depends on the host kernel's version: the run's verdicts and exit code judge them
                continue;
            }
            if (!c.path("edge").isNull()) {
                // memory the setup must refuse: refused with the errno every NO_MMAP kernel gives
                String want = c.path("edge").asText().equals("unaligned") ? "EINVAL" : "EFAULT";
                if (!result.equals(want)) failures.add(id + " " + result + " where " + want + " is the answer");
            } else if (c.path("backing").asText().equals("hugetlb")) {
                if (!(passed || result.equals("ALLOC_FAILED"))) failures.add(id + " " + result);
                if (result.equals("ALLOC_FAILED")) {
                    assertThat(header.path("hugePagesFree").asLong()).as("ALLOC_FAILED with free huge pages").isLessThan(2);
                }
            } else if (!passed) {
                failures.add(id + " " + result + " ringWorks=" + c.path("ringWorks").asBoolean());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(Set.copyOf(results.stream().map(c -> c.path("backing").asText()).toList()))
                .contains("memalign", "anon", "shared", "hugetlb", "thp");
        assertThat(out.toString()).contains("here");
    }
}
