package dev.ringvm.container;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The container image tag is reused only while it names the image ringvm built (the id recorded at the build). */
class QemuImageReuseTest {
    @Test
    void aTagNamingAnotherImageIsNotReused() {
        assertThat(QemuImage.mismatch("sha256:aa", Optional.of("sha256:aa"))).isEmpty();
        assertThat(QemuImage.mismatch("sha256:bb", Optional.of("sha256:aa"))).hasValue("id sha256:bb, recorded sha256:aa");
        assertThat(QemuImage.mismatch("sha256:bb", Optional.empty())).as("built before ids were recorded").isEmpty();
    }
}
