package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.host.Sha256;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One suite of one archive, as the private apt setup reads it: the suite, the archive (null: the host's archive for
 * the suite's distribution), the keyring that signs it (null: the host's Signed-By, else the distribution's keyring)
 * and the components.
 */
public record AptTarget(String suite, String archive, Path keyring, List<String> components, Arch arch) {
    public AptTarget {
        components = List.copyOf(components);
        if (arch == null) arch = Arch.DEFAULT;
    }

    /** An amd64 target. */
    public AptTarget(String suite, String archive, Path keyring, List<String> components) {
        this(suite, archive, keyring, components, Arch.DEFAULT);
    }

    /** {@code suite} of the host's archive, component main. */
    public static AptTarget host(String suite) {
        return new AptTarget(suite, null, null, KernelSource.AptSource.DEFAULT_COMPONENTS);
    }

    /** {@code suite} of the host's archive, component main, packages for {@code arch}. */
    public static AptTarget host(String suite, Arch arch) {
        return new AptTarget(suite, null, null, KernelSource.AptSource.DEFAULT_COMPONENTS, arch);
    }

    /** What an {@code apt:} source names (amd64). */
    public static AptTarget of(KernelSource.AptSource a) {
        return of(a, Arch.DEFAULT);
    }

    /** What an {@code apt:} source names, for a kernel of {@code arch}. */
    public static AptTarget of(KernelSource.AptSource a, Arch arch) {
        return new AptTarget(a.suite(), a.archive(), a.keyring(), a.componentList(), arch);
    }

    /**
     * The private apt directory's name: the suite for the host's archive (main only), else the suite plus a hash of
     * archive, keyring and components, so two archives with one suite name never share lists.
     */
    String key() {
        String base = arch == Arch.DEFAULT ? suite : suite + "-" + arch.debian();
        if (archive == null && keyring == null && components.equals(KernelSource.AptSource.DEFAULT_COMPONENTS)) return base;
        String id = archive + "\n" + keyring + "\n" + String.join(",", components);
        return base + "." + Sha256.hex(id.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** How messages name it: {@code noble}, or {@code noble from URL}. */
    String describe() {
        String s = arch == Arch.DEFAULT ? suite : suite + " (" + arch.debian() + ")";
        return archive == null ? s : s + " from " + archive;
    }
}
