package ntk.distributed;

import static ntk.BadInputException.param;

import java.util.ServiceLoader;
import ntk.BadInputException;

/** Looks up a {@link ClusterEngine} by its {@code --engine} name among those on the class path. */
public final class ClusterEngines {
    private ClusterEngines() {
    }

    /** The engine called {@code name}; refuses with one line naming what to build when none is on the class path. */
    public static ClusterEngine find(String name) {
        for (ClusterEngine e : ServiceLoader.load(ClusterEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw BadInputException.of(param("engine"), " " + name + " needs the ntk-" + name + " module, which is not on the"
                + " class path: run through the launcher ./ntk (it builds spark/target/ntk-spark.jar and spark/target/lib/"
                + " and adds them when ", param("engine"), " spark is given)");
    }
}
