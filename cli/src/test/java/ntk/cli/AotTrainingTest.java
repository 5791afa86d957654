package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up cache's training run succeeds as a whole (a failing command in it would leave every build uncached). */
class AotTrainingTest {
    @TempDir
    Path dir;

    @Test
    void everyTrainingCommandSucceeds() {
        assertTrue(AotTraining.train(dir));
    }
}
