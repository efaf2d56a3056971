package dev.ringvm;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import dev.ringvm.cli.Main;
import dev.ringvm.guest.ProbeJar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's layering (DESIGN.md), checked on the compiled main classes by package, so classes can move
 * between packages freely: a package may use only the packages of the layers below it, and of its own layer only
 * the siblings listed in {@link #SIBLING_USES}. The probe module's {@code protocol} package is shared by probe and
 * harness and may be used by every harness package; no other probe package may.
 */
@AnalyzeClasses(locations = ArchitectureTest.MainClasses.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The harness's and the probe's main classes (directories or jars), not every jar on the class path. */
    static final class MainClasses implements LocationProvider {
        @Override
        public Set<Location> get(Class<?> testClass) {
            try {
                return Set.of(location(Main.class), location(Class.forName(ProbeJar.MAIN_CLASS)));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Location location(Class<?> c) {
            try {
                return Location.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Top to bottom; each entry a layer of sibling packages (relative to dev.ringvm). */
    static final List<List<String>> LAYERS = List.of(
            List.of("cli"),
            List.of("bisect", "repro"),
            List.of("bench", "report"),
            List.of("verdict"),
            List.of("run"),
            List.of("vm", "guest", "kernel", "kernel.build", "container", "progress"),
            List.of("model"),
            List.of("config", "host"));

    /**
     * The only uses between siblings of one layer, as the code has them: the accel test boot builds a busybox guest
     * image (vm -> guest), the container plan wraps vm's QEMU argv and its image build asks apt for the host's mirror
     * (container -> vm, kernel), a kernel build fetches its source with apt and is a kernel image builder
     * (kernel.build -> kernel), an arm64 guest image is made of Debian arm64 packages fetched with the kernels' private
     * apt and unpacked with their .deb reader (guest -> kernel). Nothing else in a layer uses a sibling.
     */
    static final Map<String, Set<String>> SIBLING_USES = Map.of(
            "vm", Set.of("guest"),
            "guest", Set.of("kernel"),
            "container", Set.of("vm", "kernel"),
            "kernel.build", Set.of("kernel"));

    private static final String PROTOCOL = "dev.ringvm.probe.protocol..";

    /** The package pattern of a layer member: kernel itself excludes kernel.build, which is a member of its own. */
    static String packagePattern(String pkg) {
        return pkg.equals("kernel") ? "dev.ringvm.kernel" : "dev.ringvm." + pkg + "..";
    }

    /** Every package, and who may use it: every package of a layer above, and the siblings that are listed. */
    static Map<String, List<String>> allowedUsers() {
        Map<String, List<String>> users = new LinkedHashMap<>();
        List<String> above = new ArrayList<>();
        for (List<String> layer : LAYERS) {
            for (String pkg : layer) {
                List<String> u = new ArrayList<>(above);
                SIBLING_USES.forEach((user, used) -> {
                    if (used.contains(pkg)) u.add(user);
                });
                users.put(pkg, u);
            }
            above.addAll(layer);
        }
        return users;
    }

    @ArchTest
    static final ArchRule eachPackageUsesOnlyPackagesBelowIt = layers();

    static ArchRule layers() {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String pkg : allowedUsers().keySet()) {
            arch = arch.layer(pkg).definedBy(packagePattern(pkg));
        }
        for (Map.Entry<String, List<String>> e : allowedUsers().entrySet()) {
            arch = e.getValue().isEmpty()
                    ? arch.whereLayer(e.getKey()).mayNotBeAccessedByAnyLayer()
                    : arch.whereLayer(e.getKey()).mayOnlyBeAccessedByLayers(e.getValue().toArray(String[]::new));
        }
        return arch.because("a package may use only packages below it (DESIGN.md: Layout)");
    }

    @ArchTest
    static final ArchRule everyHarnessPackageHasALayer = classes()
            .that().resideInAPackage("dev.ringvm..").and().resideOutsideOfPackage("dev.ringvm.probe..")
            .should().resideInAnyPackage(allowedUsers().keySet().stream().map(ArchitectureTest::packagePattern)
                    .toArray(String[]::new))
            .because("a new package gets its place in ArchitectureTest.LAYERS");

    @ArchTest
    static final ArchRule ofTheProbeOnlyTheProtocolIsShared = noClasses()
            .that().resideInAPackage("dev.ringvm..").and().resideOutsideOfPackage("dev.ringvm.probe..")
            .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                    "are probe classes outside " + PROTOCOL,
                    c -> c.getPackageName().startsWith("dev.ringvm.probe")
                            && !c.getPackageName().equals("dev.ringvm.probe.protocol")
                            && !c.getPackageName().startsWith("dev.ringvm.probe.protocol.")))
            .because("the harness runs the probe as a jar in the guest; it shares only the protocol records");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.ringvm.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noForeignMemoryOutsideTheProbe = noClasses()
            .that().resideOutsideOfPackage("dev.ringvm.probe.ffm..")
            .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
            .because("all java.lang.foreign code lives in dev.ringvm.probe.ffm (STYLE.md: Native code)");
}
