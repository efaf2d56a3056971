package dev.ringvm.kernel;

import dev.ringvm.config.Arch;
import dev.ringvm.config.KernelSource;
import dev.ringvm.model.ResolvedKernel;

import java.io.IOException;

/**
 * Turns one kind of kernels.yaml source into a resolved kernel: one implementation per {@link KernelSource} record,
 * which {@link KernelResolver} picks with an exhaustive switch.
 */
sealed interface KernelProvider<S extends KernelSource>
        permits PathProvider, AptProvider, DebProvider, RpmProvider, MainlineProvider, HostProvider, BuildProvider {

    /** @param ignoreLock resolve anew and replace the kernels.lock pin (sources that pin) */
    ResolvedKernel resolve(String id, S source, Arch arch, boolean ignoreLock)
            throws IOException, AptException, KernelUnavailableException, InterruptedException;
}
