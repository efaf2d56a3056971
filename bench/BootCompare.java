// Boot floor vs full probe run, same kernel, same sitting, alternating, under the accelerator given.
// Usage (after `mvn -DskipTests package`):
//   java -cp 'harness/target/ringvm-harness-0.1.0-SNAPSHOT.jar:harness/target/lib/*' bench/BootCompare.java KERNEL [N] [MEM_MIB]
// Prints min/median/max wall time (QEMU start to exit) of a busybox-only boot (init prints a line and powers
// off) and of the real guest image running the whole default grid, and the ratio of the medians.
// RINGVM_BENCH_JAVAOPTS="-Xint" adds guest JVM options to the probe boots (to compare JVM settings).
import dev.ringvm.guest.GuestImage;
import dev.ringvm.guest.ProbeJar;
import dev.ringvm.host.CacheDirs;
import dev.ringvm.run.GuestRun;
import dev.ringvm.vm.Accel;
import dev.ringvm.vm.KernelCmdline;
import dev.ringvm.vm.Vm;
import dev.ringvm.vm.VmExit;
import dev.ringvm.vm.VmSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Extra guest JVM options to compare, from RINGVM_BENCH_JAVAOPTS (space separated), e.g. "-Xint". */
final List<String> JAVA_OPTS = System.getenv().getOrDefault("RINGVM_BENCH_JAVAOPTS", "").isBlank() ? List.of()
        : List.of(System.getenv("RINGVM_BENCH_JAVAOPTS").trim().split("\\s+"));

void main(String[] args) throws Exception {
    Path kernel = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int mem = args.length > 2 ? Integer.parseInt(args[2]) : 512;
    Path dir = Files.createTempDirectory("ringvm-bench");
    Path floor = dir.resolve("busybox.cpio.gz");
    GuestImage.writeBusyboxImage(GuestImage.DEFAULT_BUSYBOX,
            "#!/bin/busybox sh\n/bin/busybox mount -t proc proc /proc\n/bin/busybox echo floor-done\n/bin/busybox poweroff -f\n",
            floor);
    Path cache = CacheDirs.root();
    GuestImage image = GuestImage.builder(cache, ProbeJar.locate(cache)).build();
    List<Double> floorTimes = new ArrayList<>();
    List<Double> probeTimes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
        floorTimes.add(boot(kernel, floor, mem, dir.resolve("f" + i), List.of(), null));
        String nonce = "bench" + i;
        probeTimes.add(boot(kernel, image.path(), mem, dir.resolve("p" + i),
                KernelCmdline.probe(nonce, "default", null, JAVA_OPTS), nonce));
    }
    System.out.printf(Locale.ROOT, "kernel %s, %d MiB, TCG, n=%d, extra guest JVM options %s%n", kernel, mem, n, JAVA_OPTS);
    report("busybox-only boot", floorTimes);
    report("full probe grid  ", probeTimes);
    System.out.printf(Locale.ROOT, "ratio of medians: %.2f%n", median(probeTimes) / median(floorTimes));
}

double boot(Path kernel, Path initrd, int mem, Path out, List<String> extras, String nonce) throws Exception {
    Files.createDirectories(out);
    VmSpec spec = VmSpec.of(kernel, initrd, out.resolve("console.log"), out.resolve("results.log"))
            .withMemoryMiB(mem).withAccel(Accel.TCG).withCmdlineExtras(extras);
    long t0 = System.nanoTime();
    VmExit exit;
    try (Vm vm = Vm.start(spec)) {
        exit = vm.await();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    if (!(exit instanceof VmExit.PoweredOff)) throw new IllegalStateException(out + ": " + exit);
    if (nonce != null && !GuestRun.parse(out.resolve("results.log"), nonce).complete()) {
        throw new IllegalStateException(out + ": probe records incomplete");
    }
    return s;
}

double median(List<Double> l) {
    List<Double> s = new ArrayList<>(l);
    Collections.sort(s);
    return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
}

void report(String what, List<Double> l) {
    System.out.printf(Locale.ROOT, "%s min %.2f s  median %.2f s  max %.2f s%n", what, Collections.min(l), median(l),
            Collections.max(l));
}
