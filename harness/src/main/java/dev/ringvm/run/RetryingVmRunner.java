package dev.ringvm.run;

import dev.ringvm.model.VmJob;
import dev.ringvm.model.VmResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --retry-infra N}: a VM that ended INFRA before the probe began any case (no boot, QEMU failed, a timeout or
 * panic before the probe) is booted again, up to N more times; each earlier boot's logs move to
 * {@code attempt-K/} in the VM's directory and the final result lists every attempt. A VM that stopped during a case
 * (a crash or hang in the NO_MMAP path) is a finding about the kernel, never retried away.
 */
public final class RetryingVmRunner implements VmRunner {
    private final VmRunner inner;
    private final int retries;
    private final Consumer<String> log;

    public RetryingVmRunner(VmRunner inner, int retries, Consumer<String> log) {
        if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        this.inner = inner;
        this.retries = retries;
        this.log = log;
    }

    /** Boot again only when the VM failed before any case began: the kernel said nothing about io_uring yet. */
    public static boolean retryable(VmResult r) {
        return !r.complete() && !r.job().onHost() && r.guest().cases().isEmpty() && r.guest().begins().isEmpty();
    }

    @Override
    public VmResult run(VmJob job, Path vmDir, String nonce) throws InterruptedException {
        List<VmResult.Attempt> earlier = new ArrayList<>();
        VmResult r = inner.run(job, vmDir, nonce);
        while (retryable(r) && earlier.size() < retries) {
            int n = earlier.size() + 1;
            Path keep = vmDir.resolve("attempt-" + n);
            earlier.add(new VmResult.Attempt(r.status(), r.detail(), r.wall().toMillis(),
                    vmDir.relativize(keep.resolve("console.log")).toString()));
            try {
                Files.createDirectories(keep);
                for (String f : List.of("console.log", "results.log")) {
                    if (Files.exists(vmDir.resolve(f))) Files.move(vmDir.resolve(f), keep.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            log.accept(job.name() + ": " + r.status() + " before any case (" + r.detail() + "): booting again, attempt "
                    + (n + 1) + " of " + (retries + 1));
            r = inner.run(job, vmDir, nonce);
        }
        return earlier.isEmpty() ? r : r.withAttempts(earlier);
    }
}
