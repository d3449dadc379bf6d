package dev.killswitch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout the README's "Where things are" describes, checked on the compiled classes so that it stays true:
 * packages that depend on each other in one direction only, and a bootstrap side that needs nothing of the
 * hidden side (which its loader cannot see).
 */
class HousePlanTest {
    private static final JavaClasses AGENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.killswitch");

    /**
     * No two packages depend on each other, even through others. The one facade, {@link Killswitch}, counts on its
     * own: it calls the runtime, which implements and throws the API's types that share its package (their names
     * are part of the contract), so its package and the runtime cannot be layers of their own.
     */
    @Test
    void packagesDependOnEachOtherInOneDirectionOnly() {
        slices().assignedFrom(new PackagesWithTheFacadeApart()).should().beFreeOfCycles().check(AGENT);
    }

    /** The bootstrap loader defines the API and the runtime, and nothing else of the agent: they cannot reach the rest. */
    @Test
    void theBootstrapSideUsesOnlyItselfAndTheJdk() {
        classes().that().resideInAnyPackage("dev.killswitch", "dev.killswitch.runtime..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.killswitch", "dev.killswitch.runtime..", "java..")
                .check(AGENT);
    }

    /** The rewriting side names the runtime's classes only, never the agent's wiring or the control plane. */
    @Test
    void theRewritingSideDependsOnTheRuntimeAndConfigurationOnly() {
        classes().that().resideInAPackage("dev.killswitch.instrument..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.killswitch.instrument..", "dev.killswitch.runtime..",
                        "dev.killswitch.config..", "dev.killswitch", "org.objectweb.asm..", "java..")
                .check(AGENT);
    }

    private static final class PackagesWithTheFacadeApart implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            if (javaClass.getName().startsWith(Killswitch.class.getName())) {
                return SliceIdentifier.of("the facade " + Killswitch.class.getName());
            }
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
            return "packages, with the facade Killswitch apart";
        }
    }
}
