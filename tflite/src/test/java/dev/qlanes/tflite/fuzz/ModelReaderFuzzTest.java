package dev.qlanes.tflite.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qlanes.tflite.schema.ModelFile;
import dev.qlanes.tflite.schema.ModelFormatException;
import dev.qlanes.tflite.schema.OperatorInfo;
import dev.qlanes.tflite.schema.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the model reader ({@code docs/fuzzing.md}): the whole input is a {@code .tflite} file.
 * {@link ModelFile#read} must either accept it, with a model that keeps the reader's documented contract
 * ({@link ModelInvariants#checkConsistent}), or reject it with a {@link ModelFormatException} that has a message and
 * no cause. Anything else (an {@code IndexOutOfBoundsException}, {@code OutOfMemoryError}, a reader defect wrapped as
 * the cause, a timeout) is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays {@code ModelReaderFuzzTestInputs/read/} (test resources) as a
 * regression test; {@code scripts/fuzz.sh} fuzzes it.
 */
class ModelReaderFuzzTest {
    private static final LongAdder EXECUTIONS = new LongAdder();
    private static final LongAdder ACCEPTED = new LongAdder();
    private static final LongAdder REJECTED = new LongAdder();

    @FuzzTest(maxDuration = "60s")
    void read(byte[] data) {
        EXECUTIONS.increment();
        MemorySegment file = MemorySegment.ofArray(data);
        ModelFile model;
        try {
            model = ModelFile.read(file);
        } catch (ModelFormatException e) {
            ModelInvariants.checkRejection(e);
            REJECTED.increment();
            return;
        }
        ACCEPTED.increment();
        ModelInvariants.checkConsistent(model, file);
        // The descriptions are public API over untrusted names and values: they must not throw either.
        model.toString();
        for (TensorInfo t : model.tensors()) {
            t.toString();
        }
        for (OperatorInfo op : model.operators()) {
            op.toString();
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("ModelReaderFuzzTest.read: %d inputs, %d accepted, %d rejected%n", EXECUTIONS.sum(),
                ACCEPTED.sum(), REJECTED.sum());
    }
}
