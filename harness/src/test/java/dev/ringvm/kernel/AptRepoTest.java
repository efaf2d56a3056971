package dev.ringvm.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptRepoTest {

    @TempDir Path dir;

    @Test
    void badSuiteNameIsRefusedBeforeAnyPathIsBuilt() {
        AptRepo repo = new AptRepo(dir, "http://m.example/debian", AptRepo.DEFAULT_MAX_LIST_AGE, AptRepo.DEFAULT_TIMEOUT, s -> {});
        assertThatThrownBy(() -> repo.ensureLists("../etc")).hasMessage("apt: bad suite name \"../etc\"");
    }

    @Test
    void theSuiteLockExcludesOtherThreadsAndIsReentrant() throws Exception {
        AptRepo repo = new AptRepo(dir, "http://m.example/debian", AptRepo.DEFAULT_MAX_LIST_AGE, AptRepo.DEFAULT_TIMEOUT, s -> {});
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxInside = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    repo.withSuite("trixie", () -> repo.withSuite("trixie", () -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        for (int k = 0; k < 1000; k++) Thread.yield();
                        inside.decrementAndGet();
                        return null;
                    }));
                } catch (AptException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(dir.resolve("apt").resolve("trixie.lock")).exists();
    }

}
