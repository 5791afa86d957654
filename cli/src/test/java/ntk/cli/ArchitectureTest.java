package ntk.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph (README "Architecture"): acyclic, and layered from the base package {@code ntk}
 * up to the commands. Runs in the cli module so that it sees core and cli classes together.
 * <pre>
 *   ntk (Shape, Parameterization, KernelKind, BadInputException)
 *   ntk.linalg, ntk.io, ntk.activations            (foundation: arrays, files, activation functions)
 *   ntk.data     (MNIST: the shipped subset and IDX files; the foundation only)
 *   ntk.protocol (Layer, Binding, KernelMap, Tile, FiniteOp, Params, Tape, gradients)
 *   ntk.layers   (the concrete layers: kernel map + finite op each)
 *   ntk.arch     (Network, SpecParser, Stax)
 *   ntk.kernels, ntk.finite (the infinite-width engine; finite networks and training)
 *   ntk.dynamics (the array tier of training dynamics: ntk and ntk.linalg only)
 *   ntk.model    (KernelRegressor: kernels + dynamics behind fit/predict and kernel principal components)
 *   ntk.distributed (the ClusterEngine interface a cluster module implements; beside ntk.model)
 *   ntk.meanfield (depth and edge of chaos)
 *   ntk.experiments (the papers' experiments: over model, meanfield, finite and data)
 *   ntk.cli      (the commands: may use everything, used by nothing)
 * </pre>
 * Every class under {@code ntk} belongs to one of these layers ({@link #everyClassHasALayer}), so a new package
 * must be placed here before it can be used.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    /** The layers, bottom up, and the packages each holds. */
    private static final Map<String, String[]> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("Base", new String[] {"ntk"});
        LAYERS.put("Foundation", new String[] {"ntk.linalg..", "ntk.io..", "ntk.activations.."});
        LAYERS.put("Data", new String[] {"ntk.data.."});
        LAYERS.put("Protocol", new String[] {"ntk.protocol.."});
        LAYERS.put("Layers", new String[] {"ntk.layers.."});
        LAYERS.put("Arch", new String[] {"ntk.arch.."});
        LAYERS.put("Kernels", new String[] {"ntk.kernels.."});
        LAYERS.put("Finite", new String[] {"ntk.finite.."});
        LAYERS.put("Dynamics", new String[] {"ntk.dynamics.."});
        LAYERS.put("Model", new String[] {"ntk.model.."});
        LAYERS.put("Distributed", new String[] {"ntk.distributed.."});
        LAYERS.put("MeanField", new String[] {"ntk.meanfield.."});
        LAYERS.put("Experiments", new String[] {"ntk.experiments.."});
        LAYERS.put("Cli", new String[] {"ntk.cli.."});
    }

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
                .and().resideInAnyPackage("ntk", "ntk.activations..", "ntk.arch..", "ntk.data..", "ntk.distributed..",
                        "ntk.dynamics..", "ntk.experiments..", "ntk.finite..", "ntk.io..", "ntk.kernels..",
                        "ntk.layers..", "ntk.linalg..", "ntk.meanfield..", "ntk.model..", "ntk.protocol..")
                .should().dependOnClassesThat().resideInAPackage("ntk.cli..").check(classes);
    }

    /** A new package under ntk fails here until it is given a layer (and a place in the diagram above). */
    @Test
    void everyClassHasALayer() {
        String[] all = LAYERS.values().stream().flatMap(java.util.Arrays::stream).toArray(String[]::new);
        classes().that().resideInAPackage("ntk..").should().resideInAnyPackage(all).check(classes);
    }

    @Test
    void layersHoldTheirOrder() {
        Architectures.LayeredArchitecture a = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Map.Entry<String, String[]> l : LAYERS.entrySet()) {
            a = a.layer(l.getKey()).definedBy(l.getValue());
        }
        a.whereLayer("Base").mayNotAccessAnyLayer()
                .whereLayer("Foundation").mayOnlyAccessLayers("Base")
                .whereLayer("Data").mayOnlyAccessLayers("Base", "Foundation")
                .whereLayer("Data").mayOnlyBeAccessedByLayers("Experiments", "Cli")
                .whereLayer("Protocol").mayOnlyAccessLayers("Base", "Foundation")
                .whereLayer("Layers").mayOnlyAccessLayers("Base", "Foundation", "Protocol")
                .whereLayer("Arch").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers")
                .whereLayer("Kernels").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers", "Arch")
                .whereLayer("Finite").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers", "Arch")
                .whereLayer("Dynamics").mayOnlyAccessLayers("Base", "Foundation")
                .whereLayer("Model").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers", "Arch", "Kernels",
                        "Dynamics")
                .whereLayer("Distributed").mayOnlyAccessLayers("Base", "Foundation")
                .whereLayer("Distributed").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("MeanField").mayOnlyAccessLayers("Base", "Foundation", "Protocol", "Layers", "Arch",
                        "Kernels")
                .whereLayer("MeanField").mayOnlyBeAccessedByLayers("Experiments", "Cli")
                .whereLayer("Experiments").mayOnlyAccessLayers("Base", "Foundation", "Data", "Protocol", "Layers", "Arch",
                        "Kernels", "Finite", "Dynamics", "Model", "MeanField")
                .whereLayer("Experiments").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
                .check(classes);
    }
}
