package dev.ringvm.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRecipeTest {
    static final String TEXT = """
            # comment
            suite=bookworm
            variant=minbase
            include=qemu-system-x86, coreutils
            remove=var/cache/apt/archives,usr/share/doc
            """;

    @Test
    void parsesKeysAndLists() {
        ContainerRecipe r = ContainerRecipe.parse(TEXT);
        assertThat(r.suite()).isEqualTo("bookworm");
        assertThat(r.variant()).isEqualTo("minbase");
        assertThat(r.include()).containsExactly("qemu-system-x86", "coreutils");
        assertThat(r.remove()).containsExactly("var/cache/apt/archives", "usr/share/doc");
    }

    @Test
    void tagIsTwelveHexDigitsOfTheHashAndFollowsTheText() {
        ContainerRecipe r = ContainerRecipe.parse(TEXT);
        assertThat(r.hash()).matches("[0-9a-f]{64}");
        assertThat(r.tag()).isEqualTo("ringvm/qemu:" + r.hash().substring(0, 12));
        assertThat(ContainerRecipe.parse(TEXT).tag()).isEqualTo(r.tag());
        assertThat(ContainerRecipe.parse(TEXT.replace("coreutils", "kmod")).tag()).isNotEqualTo(r.tag());
        // a comment is part of the recipe text: editing it rebuilds too (simple, and a rebuild is harmless)
        assertThat(ContainerRecipe.parse("# new\n" + TEXT).tag()).isNotEqualTo(r.tag());
    }

    @Test
    void debootstrapArgv() {
        assertThat(ContainerRecipe.parse(TEXT).debootstrapArgv("/usr/sbin/debootstrap", "http://mirror.example/debian", Path.of("/w/rootfs")))
                .containsExactly("/usr/sbin/debootstrap", "--variant=minbase", "--include=qemu-system-x86,coreutils",
                        "bookworm", "/w/rootfs", "http://mirror.example/debian");
    }

    @Test
    void badRecipesNameTheProblem() {
        assertThatThrownBy(() -> ContainerRecipe.parse("suite=bookworm\nvariant=minbase\n")).hasMessageContaining("include");
        assertThatThrownBy(() -> ContainerRecipe.parse(TEXT + "colour=blue\n")).hasMessageContaining("colour");
        assertThatThrownBy(() -> ContainerRecipe.parse(TEXT + "remove=../etc\n")).hasMessageContaining("../etc");
        assertThatThrownBy(() -> ContainerRecipe.parse(TEXT + "remove=/etc\n")).hasMessageContaining("/etc");
        assertThatThrownBy(() -> ContainerRecipe.parse(TEXT + "just words\n")).hasMessageContaining("key=value");
    }

    @Test
    void theBundledRecipeIsTheOneInVmImages() throws Exception {
        Path repoFile = repo().resolve("vm-images/container/qemu.recipe");
        ContainerRecipe bundled = ContainerRecipe.bundled();
        assertThat(bundled.hash()).isEqualTo(ContainerRecipe.parse(Files.readString(repoFile)).hash());
        assertThat(bundled.include()).contains("qemu-system-x86");
        assertThat(bundled.variant()).isEqualTo("minbase");
    }

    @Test
    void ryukMustBeDisabledAndTheMessageSaysHow() {
        assertThat(Docker.ryukProblem(Map.of(Docker.RYUK_ENV, "true"))).isEmpty();
        assertThat(Docker.ryukProblem(Map.of())).get().asString()
                .contains("TESTCONTAINERS_RYUK_DISABLED=true").doesNotContain("\n");
    }

    @Test
    void aMissingDockerSocketSaysWhatToInstallAndStart(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(Docker.socketProblem(dir.resolve("docker.sock"))).get().asString()
                .isEqualTo("docker is not reachable: no socket at " + dir.resolve("docker.sock")
                        + " (install docker.io and start the daemon, e.g. dockerd --bridge=none --iptables=false &)");
        assertThat(Docker.socketProblem(Files.writeString(dir.resolve("sock"), ""))).isEmpty();
    }

    @Test
    void buildTreesAreNeverDeletedAcrossMounts() {
        List<String> mounts = List.of(
                "proc /proc proc rw 0 0",
                "udev /c/build-1/rootfs/dev devtmpfs rw 0 0",
                "proc /c/build-1/rootfs/proc proc rw 0 0",
                "tmpfs /c/build-1/rootfs/dev/shm tmpfs rw 0 0",
                "tmpfs /c/build-10/x tmpfs rw 0 0",
                "tmpfs /c/build-1/with\\040space tmpfs rw 0 0");
        List<String> under = QemuImage.mountsUnder(Path.of("/c/build-1"), mounts);
        assertThat(under).containsExactlyInAnyOrder(
                "/c/build-1/rootfs/dev/shm", "/c/build-1/with space", "/c/build-1/rootfs/proc", "/c/build-1/rootfs/dev");
        // a mount inside another is unmounted first
        assertThat(under.indexOf("/c/build-1/rootfs/dev/shm")).isLessThan(under.indexOf("/c/build-1/rootfs/dev"));
    }

    @Test
    void debootstrapProgressIsCondensed() {
        List<String> out = new java.util.ArrayList<>();
        long[] now = {0};
        QemuImage.Progress p = new QemuImage.Progress(out::add, () -> now[0]);
        p.line("I: Retrieving InRelease");
        for (int i = 0; i < 100; i++) {
            p.line("I: Retrieving pkg" + i);
            p.line("I: Validating pkg" + i);
            now[0] += 100_000_000L; // 0.1 s per package
        }
        p.line("W: something odd");
        p.line("I: Base system installed successfully.");
        p.line("noise without a prefix");
        assertThat(out).first().isEqualTo("qemu image: debootstrap: Retrieving InRelease");
        assertThat(out).contains("qemu image: debootstrap: Validating pkg0", "qemu image: debootstrap: W: something odd",
                "qemu image: debootstrap: Base system installed successfully.");
        assertThat(out).hasSizeBetween(4, 8); // 10 s of packages: one line per 5 s, not 200 lines
    }

    static Path repo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("vm-images/container"))) return d;
        }
        throw new AssertionError("vm-images/container not found above " + Path.of("").toAbsolutePath());
    }
}
