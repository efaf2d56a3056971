package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;
import java.util.function.Consumer;

/** {@code build:} a kernel compiled by the injected {@link KernelImageBuilder}; a null builder: unavailable. */
record BuildProvider(KernelImageBuilder builder, Consumer<String> log) implements KernelProvider<KernelSource.BuildSource> {

    @Override
    public ResolvedKernel resolve(String id, KernelSource.BuildSource b, Arch arch, boolean ignoreLock)
            throws IOException, KernelUnavailableException {
        if (builder == null) {
            throw new KernelUnavailableException("kernel " + id + ": no kernel builder configured (" + b.describe() + ")");
        }
        return KernelStore.Image.of(builder.build(id, b, arch, log).toAbsolutePath()).resolved(id, b, null, null);
    }
}
