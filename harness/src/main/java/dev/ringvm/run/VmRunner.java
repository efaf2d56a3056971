package dev.ringvm.run;

import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import java.nio.file.Path;

/** Boots one VM and returns how it ended. The QEMU implementation is {@link QemuVmRunner}; tests use fakes. */
@FunctionalInterface
public interface VmRunner {
    /**
     * @param vmDir an existing directory for this VM's console log and results file
     * @param nonce the run nonce the probe must echo in every record
     */
    VmResult run(VmJob job, Path vmDir, String nonce) throws InterruptedException;
}
