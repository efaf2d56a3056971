package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AptStanzasTest {

    @Test
    void parsesAptCacheShow() {
        String out = """
                Package: linux-image-7.2.13+deb14-cloud-amd64
                Source: linux-signed-amd64 (7.2.13+1)
                Version: 7.2.13-1
                Installed-Size: 15
                Depends: dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, linux-base-7.2.13+deb14-cloud-amd64 (= 7.2.13-1), linux-binary-7.2.13+deb14-cloud-amd64 (= 7.2.13-1)
                Description: Linux 7.2.13 for x86-64 cloud

                Package: linux-libc-dev
                Version: 6.12.117-1
                Depends: libc6:any

                Package: linux-libc-dev
                Version: 6.12.107-1
                """;
        List<PackageRef> refs = AptStanzas.parseShow(out);
        assertThat(refs).extracting(PackageRef::name, PackageRef::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple("linux-image-7.2.13+deb14-cloud-amd64", "7.2.13-1"),
                org.assertj.core.groups.Tuple.tuple("linux-libc-dev", "6.12.117-1"),
                org.assertj.core.groups.Tuple.tuple("linux-libc-dev", "6.12.107-1"));
        assertThat(refs.getFirst().depends()).containsExactly("dracut", "initramfs-tools", "linux-initramfs-tool",
                "linux-base-7.2.13+deb14-cloud-amd64", "linux-binary-7.2.13+deb14-cloud-amd64");
        assertThat(refs.get(1).depends()).containsExactly("libc6");
    }
}
