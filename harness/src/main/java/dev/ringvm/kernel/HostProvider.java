package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code host: true}: the running kernel, described (no image: the probe runs on the host). */
record HostProvider() implements KernelProvider<KernelSource.HostSource> {
    /** Host kernel facts: {@code uname -r} and the whole {@code /proc/version}. */
    static final Path HOST_RELEASE = Path.of("/proc/sys/kernel/osrelease");
    static final Path HOST_VERSION = Path.of("/proc/version");

    @Override
    public ResolvedKernel resolve(String id, KernelSource.HostSource h, Arch arch, boolean ignoreLock) throws IOException {
        String release = Files.readString(HOST_RELEASE).strip();
        String version = Files.isReadable(HOST_VERSION) ? Files.readString(HOST_VERSION).strip() : release;
        // the running kernel's architecture is the JVM's; its page size is in the probe's header (0: not known here)
        return new ResolvedKernel(id, h, null, null, release, version, null, null, Arch.host().orElse(Arch.DEFAULT), 0);
    }
}
