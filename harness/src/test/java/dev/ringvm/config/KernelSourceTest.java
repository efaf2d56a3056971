package dev.ringvm.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KernelSourceTest {
    private static final List<KernelSource> ALL = List.of(
            new KernelSource.PathSource(Path.of("/k/bzImage")),
            new KernelSource.AptSource("linux-image-*-cloud-amd64", "trixie"),
            new KernelSource.DebSource("https://example.org/k.deb", "ab".repeat(32)),
            new KernelSource.MainlineSource("v6.8.12"),
            new KernelSource.HostSource(),
            new KernelSource.BuildSource(null, "linux-source-6.12", "trixie", "tinyconfig",
                    List.of(Path.of("/r/vm-images/kernel-config/ringvm-guest.config")),
                    List.of(Path.of("/r/vm-images/patches/repro-6.5-nommap-efault.patch"))));

    @Test
    void everySourceRoundTripsThroughRunJsonAsItsType() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (KernelSource s : ALL) {
            String text = json.writeValueAsString(s);
            assertThat(json.readValue(text, KernelSource.class)).as(text).isEqualTo(s);
        }
        assertThat(json.writeValueAsString(new KernelSource.HostSource())).isEqualTo("{\"kind\":\"host\"}");
    }

    @Test
    void olderRunDirectoriesNameTheirSourcesByDescription() {
        for (KernelSource s : ALL) {
            KernelSource back = KernelSource.fromDescription(s.describe());
            assertThat(back).as(s.describe()).isInstanceOf(s.getClass());
            assertThat(back.describe()).isEqualTo(s.describe());
        }
        assertThat(KernelSource.fromDescription("apt linux-image-*-cloud-amd64 @ trixie")).isEqualTo(ALL.get(1));
        assertThat(KernelSource.fromDescription("host")).isEqualTo(ALL.get(4));
        KernelSource.BuildSource b = (KernelSource.BuildSource) KernelSource.fromDescription(ALL.get(5).describe());
        assertThat(b.debianSource()).isEqualTo("linux-source-6.12");
        assertThat(b.config()).isEqualTo("tinyconfig");
        assertThat(b.patches()).containsExactly(Path.of("repro-6.5-nommap-efault.patch"));
        assertThat(b.describe()).isEqualTo(ALL.get(5).describe());
    }
}
