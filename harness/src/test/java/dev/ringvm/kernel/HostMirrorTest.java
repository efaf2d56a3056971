package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The host's mirror from what {@code apt-get indextargets} reports (deb822 and one-line sources alike). */
class HostMirrorTest {

    /** What this format of indextargets prints for a bookworm host with its security archive and a deb-src entry. */
    private static final String BOOKWORM = """
            deb http://mirror.example/debian-security/ bookworm-security
            deb http://mirror.example/debian-security/ bookworm-security
            deb https://other.example/apt/ cloud-sdk-bookworm
            deb http://mirror.example/debian/ bookworm
            deb http://mirror.example/debian/ bookworm-updates
            deb-src http://src.example/debian/ bookworm
            """;

    @Test
    void theMainArchiveWinsOverSecurityUpdatesAndOtherRepositories() {
        assertThat(HostMirror.fromIndexTargets(BOOKWORM)).contains("http://mirror.example/debian");
        assertThat(HostMirror.fromIndexTargets("deb http://x/debian-security/ bookworm-security\n")).isEmpty();
        assertThat(HostMirror.fromIndexTargets("deb-src http://x/debian/ trixie\n")).as("sources only").isEmpty();
        assertThat(HostMirror.fromIndexTargets("deb http://t.example/debian trixie\ndeb http://b.example/debian/ bookworm\n"))
                .as("bookworm first").contains("http://b.example/debian");
    }

    @Test
    void noMainArchiveIsAnError() throws Exception {
        assertThat(HostMirror.choose("deb http://m.example/debian/ sid\n")).isEqualTo("http://m.example/debian");
        assertThatThrownBy(() -> HostMirror.choose("deb https://other.example/apt/ cloud-sdk-bookworm\n"))
                .isInstanceOf(AptException.class).hasMessageStartingWith("apt: no Debian mirror found in ");
    }

    @Test
    void theArgvOnlyReadsTheHostsConfiguration() {
        assertThat(HostMirror.INDEX_TARGETS).startsWith("apt-get", "indextargets")
                .noneMatch(a -> a.startsWith("-o") || a.equals("update") || a.equals("install"));
    }
}
