package dev.qlanes.tflite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file replaced in place after {@link TfLiteModel#open}: what a deploy does. The model read the file when it
 * opened it (it does not map it), so truncating, rewriting or deleting the file changes nothing: new runners still
 * compute what the reference runner computes. Were the file mapped, the truncation would fault under the int8
 * layers' Vector API loads and kill this JVM (docs/faults.md).
 */
class ModelFileReplacedTest {
    @TempDir
    Path dir;

    @Test
    void aModelIsUnaffectedByItsFileBeingTruncatedRewrittenOrDeleted() throws IOException {
        for (String name : RealModelRunTest.MODELS) {
            Path file = dir.resolve(name);
            Files.copy(RealModelRunTest.model(name), file);
            try (TfLiteModel model = TfLiteModel.open(file)) {
                TfLiteRunner before = model.newRunner(3);
                TfLiteRunner reference = model.newReferenceRunner(3);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
                TfLiteRunner afterTruncation = model.newRunner(3);
                Files.write(file, new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'm', 'o', 'd', 'e', 'l'});
                TfLiteRunner afterRewrite = model.newRunner(3);
                Files.delete(file);
                for (int round = 0; round < 3; round++) {
                    Runners.fillRandom(new Random(round), reference, before, afterTruncation, afterRewrite);
                    reference.run();
                    before.run();
                    afterTruncation.run();
                    afterRewrite.run();
                    Runners.assertSameOutputs(reference, before, name + " opened before the truncation");
                    Runners.assertSameOutputs(reference, afterTruncation, name + " runner made after the truncation");
                    Runners.assertSameOutputs(reference, afterRewrite, name + " runner made after the rewrite");
                }
            }
        }
    }

    /** A file that is empty when opened: a clear rejection, not a fault. */
    @Test
    void anEmptyFileIsRejected() throws IOException {
        Path file = dir.resolve("empty.tflite");
        Files.write(file, new byte[0]);
        Exception e = assertThrows(dev.qlanes.tflite.schema.ModelFormatException.class, () -> TfLiteModel.open(file));
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), e::toString);
    }
}
