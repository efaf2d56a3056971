package dev.ringvm.probe;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.Set;

/**
 * The probe's shape: all {@code java.lang.foreign} code in {@code dev.ringvm.probe.ffm}, no package cycles, and
 * nothing outside {@code java.base} (the guest runs the probe on a jlinked {@code java.base} runtime).
 */
@AnalyzeClasses(packages = "dev.ringvm.probe", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final Set<String> JAVA_BASE = ModuleLayer.boot().findModule("java.base").orElseThrow().getPackages();

    @ArchTest
    static final ArchRule foreignMemoryOnlyInFfm = noClasses()
            .that().resideOutsideOfPackage("dev.ringvm.probe.ffm..")
            .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
            .because("all java.lang.foreign code lives in one package (STYLE.md: Native code)");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.ringvm.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyJavaBase = classes()
            .should().onlyDependOnClassesThat(DescribedPredicate.describe("are probe classes or in java.base",
                    (JavaClass c) -> c.getPackageName().startsWith("dev.ringvm.probe") || c.isPrimitive()
                            || JAVA_BASE.contains(c.getPackageName())))
            .because("the probe runs on a jlinked java.base runtime and has no dependencies");
}
