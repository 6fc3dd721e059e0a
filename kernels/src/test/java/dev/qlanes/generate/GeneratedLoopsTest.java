package dev.qlanes.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checked-in generated loops are exactly what their template expands to today: an edit to a generated file,
 * or to the template without regenerating (scripts/generate-loops.sh), fails the build.
 */
class GeneratedLoopsTest {
    /** Surefire runs in the module directory; templates and outputs are named from the repository root. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyGeneratedFileMatchesItsTemplate() throws IOException {
        for (Path template : LoopTemplate.TEMPLATES) {
            Map<Path, String> outputs = LoopTemplate.render(ROOT, template);
            assertFalse(outputs.isEmpty(), template + " declares no variant");
            for (Map.Entry<Path, String> output : outputs.entrySet()) {
                Path file = ROOT.resolve(output.getKey());
                String checkedIn = Files.exists(file) ? Files.readString(file) : "<missing>";
                assertEquals(output.getValue(), checkedIn, output.getKey() + " differs from " + template
                        + ": edit the template and run scripts/generate-loops.sh");
            }
        }
    }
}
