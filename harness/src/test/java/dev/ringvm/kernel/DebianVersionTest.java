package dev.ringvm.kernel;

import dev.ringvm.testing.Capability;
import dev.ringvm.testing.Requires;
import dev.ringvm.host.ProcessRunner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebianVersionTest {

    @ParameterizedTest
    @CsvSource({
        "6.12.48-1, 6.12.57-1, -1",
        "6.12.57-1, 6.12.117-1, -1",
        "6.19.14-1~bpo13+1, 7.0.4-1~bpo13+1, -1",
        "7.3~rc7-1~exp1, 7.3-1, -1",
        "7.3~rc7-1~exp1, 7.3.4-1~bpo13+1, -1",
        "6.1.158-1, 6.1.158-1, 0",
        "1:1.0-1, 2.0-1, 1",
        "1.0-1, 1.0-1+b1, -1",
        "1.0~~, 1.0~, -1",
        "1.0a, 1.0+, -1",
        "2.0, 10.0, -1",
    })
    void comparesLikeDpkg(String a, String b, int expected) {
        assertThat(Integer.signum(DebianVersion.compare(a, b))).isEqualTo(expected);
        assertThat(Integer.signum(DebianVersion.compare(b, a))).isEqualTo(-expected);
    }

    /** Cross-check against dpkg itself where it is installed (skipped with the reason otherwise). */
    @org.junit.jupiter.api.Test
    @Requires(Capability.DPKG)
    void agreesWithDpkg() throws Exception {
        String[] v = {"6.12.48-1", "6.12.117-1", "7.3~rc7-1~exp1", "7.3.4-1~bpo13+1", "6.19.14-1~bpo13+1", "1:0.1", "1.0a-1", "1.0+-1", "1.0~~", "1.0"};
        for (String a : v) {
            for (String b : v) {
                int dpkg = ProcessRunner.run(java.util.List.of("dpkg", "--compare-versions", a, "lt", b), java.nio.file.Path.of("."), java.time.Duration.ofSeconds(10)).exitCode() == 0 ? -1 : 0;
                assertThat(DebianVersion.compare(a, b) < 0 ? -1 : 0).as(a + " < " + b).isEqualTo(dpkg);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "linux-image-6.12.48+deb13-cloud-amd64, linux-image-6.12.57+deb13-cloud-amd64",
        "linux-image-6.12.57+deb13-cloud-amd64, linux-image-7.0.4+deb13-cloud-amd64",
        "linux-image-6.12.90+deb12-cloud-amd64, linux-image-6.12.90+deb12.1-cloud-amd64",
        "linux-image-6.1.0-47-cloud-amd64, linux-image-6.1.0-50-cloud-amd64",
    })
    void ordersPackageNamesByTheReleaseInside(String older, String newer) {
        assertThat(DebianVersion.compareFragments(older, newer)).isNegative();
    }
}
