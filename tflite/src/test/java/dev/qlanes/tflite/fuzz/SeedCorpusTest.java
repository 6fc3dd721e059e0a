package dev.qlanes.tflite.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.tflite.TfLiteModel;
import dev.qlanes.tflite.TfLiteRunner;
import dev.qlanes.tflite.schema.ModelFile;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checked-in seed corpus is what {@link FuzzSeeds} writes, and it is worth fuzzing from: every reader seed opens,
 * every run seed opens, makes runners at its batch and runs. {@code -Dqlanes.fuzz.writeSeeds=true} rewrites the
 * seeds under {@code src/test/resources} instead of comparing (after a change to {@link FuzzSeeds} or the writer).
 */
class SeedCorpusTest {
    private static final boolean WRITE = Boolean.getBoolean("qlanes.fuzz.writeSeeds");

    @Test
    void readerSeeds() throws IOException {
        Map<String, byte[]> seeds = FuzzSeeds.readerSeeds();
        check(FuzzSeeds.READER_DIR, seeds);
        for (var e : seeds.entrySet()) {
            ModelFile.read(MemorySegment.ofArray(e.getValue())); // throws if a seed is rejected
        }
    }

    @Test
    void runSeeds() throws IOException {
        Map<String, byte[]> seeds = FuzzSeeds.runSeeds();
        check(FuzzSeeds.RUN_DIR, seeds);
        ModelRunFuzzTest target = new ModelRunFuzzTest();
        for (var e : seeds.entrySet()) {
            RunInput in = RunInput.parse(e.getValue());
            try (TfLiteModel model = TfLiteModel.read(MemorySegment.ofArray(in.model()), in.requantization())) {
                TfLiteRunner r = model.newRunner(in.batch());
                assertEquals(in.batch(), r.batch(), e.getKey());
            }
            long ran = ModelRunFuzzTest.RAN.sum();
            target.run(e.getValue());
            assertEquals(ran + 1, ModelRunFuzzTest.RAN.sum(), e.getKey() + " did not run to the comparison");
        }
    }

    private static void check(String dir, Map<String, byte[]> seeds) throws IOException {
        Path source = FuzzSeeds.sourceDir(dir);
        if (WRITE) {
            Files.createDirectories(source);
            for (var e : seeds.entrySet()) {
                Files.write(source.resolve(e.getKey()), e.getValue());
            }
            return;
        }
        for (var e : seeds.entrySet()) {
            var url = SeedCorpusTest.class.getResource("/" + dir + "/" + e.getKey());
            assertTrue(url != null, dir + "/" + e.getKey() + " is not in the test resources; run this test with "
                    + "-Dqlanes.fuzz.writeSeeds=true");
            try (var in = url.openStream()) {
                assertArrayEquals(e.getValue(), in.readAllBytes(), e.getKey() + " differs from what FuzzSeeds "
                        + "writes; rerun with -Dqlanes.fuzz.writeSeeds=true");
            }
        }
    }
}
