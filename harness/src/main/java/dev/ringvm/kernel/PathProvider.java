package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code path:} any bzImage on disk, used in place. */
record PathProvider() implements KernelProvider<KernelSource.PathSource> {
    @Override
    public ResolvedKernel resolve(String id, KernelSource.PathSource p, Arch arch, boolean ignoreLock) throws IOException {
        Path image = p.path().toAbsolutePath();
        if (!Files.isRegularFile(image)) {
            throw new IOException("no such file " + image);
        }
        return KernelStore.Image.of(image).resolved(id, p, null, null);
    }
}
