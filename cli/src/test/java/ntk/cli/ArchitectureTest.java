package ntk.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph (README "Architecture"): acyclic, and layered from the base package {@code ntk}
 * up to the commands. Runs in the cli module so that it sees core and cli classes together.
 * <pre>
 *   ntk (Shape, Parameterization, BadInputException)
 *   ntk.linalg, ntk.io, ntk.activations            (foundation: arrays, files, activation functions)
 *   ntk.protocol (Layer, Binding, KernelMap, Tile, FiniteOp, Params, Tape, gradients)
 *   ntk.layers   (the concrete layers: kernel map + finite op each)
 *   ntk.arch     (Network, SpecParser)
 *   ntk.kernels, ntk.finite (the infinite-width engine; finite networks and training)
 *   ntk.dynamics (the array tier of training dynamics: ntk and ntk.linalg only)
 *   ntk.model    (KernelRegressor: kernels + dynamics behind fit/predict)
 *   ntk.meanfield, ntk.cli ...
 * </pre>
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ntk");
    }

    @Test
    void seesBothModules() {
        // guards the other rules against passing vacuously on an empty import
        org.junit.jupiter.api.Assertions.assertTrue(classes.contain("ntk.protocol.Layer"));
        org.junit.jupiter.api.Assertions.assertTrue(classes.contain("ntk.layers.Dense"));
        org.junit.jupiter.api.Assertions.assertTrue(classes.contain("ntk.cli.Main"));
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("ntk.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void basePackageDependsOnNoOtherNtkPackage() {
        noClasses().that().resideInAPackage("ntk").should().dependOnClassesThat().resideInAPackage("ntk.*..")
                .check(classes);
    }

    @Test
    void nothingOutsideTheCommandLineImportsIt() {
        noClasses().that().resideOutsideOfPackage("ntk.cli..")
                .and().resideInAnyPackage("ntk", "ntk.activations..", "ntk.arch..", "ntk.dynamics..",
                        "ntk.finite..", "ntk.io..", "ntk.kernels..", "ntk.layers..", "ntk.linalg..",
                        "ntk.meanfield..", "ntk.model..", "ntk.protocol..")
                .should().dependOnClassesThat().resideInAPackage("ntk.cli..").check(classes);
    }

    @Test
    void layersHoldTheirOrder() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Base").definedBy("ntk")
                .layer("Foundation").definedBy("ntk.linalg..", "ntk.io..", "ntk.activations..")
                .layer("Protocol").definedBy("ntk.protocol..")
                .layer("Layers").definedBy("ntk.layers..")
                .layer("Arch").definedBy("ntk.arch..")
                .layer("Kernels").definedBy("ntk.kernels..")
                .layer("Finite").definedBy("ntk.finite..")
                .layer("Dynamics").definedBy("ntk.dynamics..")
                .layer("Model").definedBy("ntk.model..")
                .layer("MeanField").definedBy("ntk.meanfield..")
                .layer("Cli").definedBy("ntk.cli..")
                .whereLayer("Base").mayNotAccessAnyLayer()
                .whereLayer("Foundation").mayOnlyAccessLayers("Base")
                .whereLayer("Protocol").mayOnlyAccessLayers("Base", "Foundation")
                .whereLayer("Layers").mayOnlyAccessLayers("Base", "Foundation", "Protocol")
                .whereLayer("Arch").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers")
                .whereLayer("Kernels").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers", "Arch")
                .whereLayer("Finite").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers", "Arch")
                .whereLayer("Dynamics").mayOnlyAccessLayers("Base", "Foundation")
                .whereLayer("Model").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers", "Arch", "Kernels",
                        "Dynamics")
                .whereLayer("MeanField").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
                .check(classes);
    }
}
