package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The private apt tree: every path apt uses points into it, and its sources are signed. */
class AptDirectoryTest {

    @Test
    void privateOptionsPointEveryPathIntoTheSuiteDirectory() {
        Path d = Path.of("/c/apt/trixie");
        List<String> o = AptDirectory.options(d);
        assertThat(o).contains("Dir::Etc::SourceList=/c/apt/trixie/etc/sources.list",
                "Dir::Etc::SourceParts=/c/apt/trixie/etc/sources.list.d",
                "Dir::State::Lists=/c/apt/trixie/lists", "Dir::State::status=/c/apt/trixie/state/status",
                "Dir::Etc::Preferences=/c/apt/trixie/etc/preferences", "Dir::Etc::PreferencesParts=/c/apt/trixie/etc/preferences.d",
                "Dir::Cache=/c/apt/trixie/cache", "Dir::Cache::srcpkgcache=", "APT::Architecture=amd64");
        for (int i = 0; i < o.size(); i++) {
            if (o.get(i).startsWith("Dir::") && !o.get(i).endsWith("=")) assertThat(o.get(i)).contains("=/c/apt/trixie/");
        }
        assertThat(String.join(" ", o)).doesNotContainIgnoringCase("trusted=yes").doesNotContainIgnoringCase("AllowInsecure")
                .doesNotContainIgnoringCase("AllowUnauthenticated");
    }

    @Test
    void sourcesLineIsSignedBy() {
        assertThat(AptDirectory.sourcesLine("http://m.example/debian", "sid"))
                .isEqualTo("deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://m.example/debian sid main\n");
    }
}
