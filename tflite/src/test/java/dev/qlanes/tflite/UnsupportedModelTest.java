package dev.qlanes.tflite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import dev.qlanes.tflite.schema.ActivationFunction;
import dev.qlanes.tflite.schema.BuiltinOperator;
import dev.qlanes.tflite.schema.FullyConnectedOptions;
import dev.qlanes.tflite.schema.ReshapeOptions;
import dev.qlanes.tflite.schema.SoftmaxOptions;
import dev.qlanes.tflite.schema.TensorType;
import dev.qlanes.tflite.testing.TfLiteModelWriter;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Well-formed models that qlanes must refuse when they are opened, with a message naming the operator (index and
 * name) or tensor and what is wrong; and wrong runner arguments, refused before anything is written.
 */
class UnsupportedModelTest {
    static final FullyConnectedOptions PLAIN = new FullyConnectedOptions(ActivationFunction.NONE, 0, false, false);

    /** A float FULLY_CONNECTED model 4 → 3, which {@code edit} changes before it is written. */
    static TfLiteModelWriter fc(Consumer<TfLiteModelWriter> before, FullyConnectedOptions options) {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, 4).add();
        int wt = w.tensor("w", TensorType.INT8, 3, 4).data(new byte[12]).quantization(0.1f, 0).add();
        int out = w.tensor("out", TensorType.FLOAT32, 1, 3).add();
        before.accept(w);
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, -1).outputs(out).options(options).add();
        w.inputs(in).outputs(out);
        return w;
    }

    static String refused(TfLiteModelWriter w) {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> TfLiteModel.read(MemorySegment.ofArray(w.toBytes()), Requantization.DOUBLE_FLOAT));
        return e.getMessage();
    }

    static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message \"" + message + "\" lacks \"" + p + "\"");
        }
    }

    @Test
    void anOperatorOutsideTheListIsNamedWithItsIndexAndTheSupportedList() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, 4).add();
        int mid = w.tensor("mid", TensorType.FLOAT32, 1, 4).add();
        int out = w.tensor("out", TensorType.FLOAT32, 1, 4).add();
        w.operator(BuiltinOperator.RELU).inputs(in).outputs(mid).add();
        w.operator(BuiltinOperator.CONV_2D).inputs(mid).outputs(out).add();
        w.inputs(in).outputs(out);
        assertMentions(refused(w), "operator 1", "CONV_2D", "FULLY_CONNECTED", "SOFTMAX", "QUANTIZE");
    }

    @Test
    void aTensorThatNothingWritesOrThatIsWrittenLaterIsRefused() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, 4).add();
        int a = w.tensor("a", TensorType.FLOAT32, 1, 4).add();
        int b = w.tensor("b", TensorType.FLOAT32, 1, 4).add();
        // A cycle in file order: operator 0 reads b, which operator 1 writes from a.
        w.operator(BuiltinOperator.RELU).inputs(b).outputs(a).add();
        w.operator(BuiltinOperator.RELU).inputs(a).outputs(b).add();
        w.inputs(in).outputs(b);
        assertMentions(refused(w), "operator 0 (RELU)", "tensor 2 'b'", "not written by an earlier operator");
    }

    @Test
    void aTensorWrittenTwiceIsRefused() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, 4).add();
        int a = w.tensor("a", TensorType.FLOAT32, 1, 4).add();
        w.operator(BuiltinOperator.RELU).inputs(in).outputs(a).add();
        w.operator(BuiltinOperator.RELU6).inputs(in).outputs(a).add();
        w.inputs(in).outputs(a);
        assertMentions(refused(w), "operator 1 (RELU6)", "'a'", "already written by operator 0");
    }

    @Test
    void fullyConnectedOptionsOutsideTheExactSetAreRefused() {
        assertMentions(refused(fc(w -> {}, new FullyConnectedOptions(ActivationFunction.TANH, 0, false, false))),
                "operator 0 (FULLY_CONNECTED)", "TANH");
        assertMentions(refused(fc(w -> {}, new FullyConnectedOptions(ActivationFunction.NONE, 1, false, false))),
                "weights_format 1");
    }

    @Test
    void weightsThatAreNotSymmetricPerOutputChannelAreRefused() {
        TfLiteModelWriter zp = new TfLiteModelWriter();
        int in = zp.tensor("in", TensorType.FLOAT32, 1, 4).add();
        int wt = zp.tensor("w", TensorType.INT8, 3, 4).data(new byte[12]).quantization(0.1f, 3).add();
        int out = zp.tensor("out", TensorType.FLOAT32, 1, 3).add();
        zp.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, -1).outputs(out).options(PLAIN).add();
        zp.inputs(in).outputs(out);
        assertMentions(refused(zp), "weights tensor 1 'w'", "zero point 3");

        TfLiteModelWriter dim1 = new TfLiteModelWriter();
        in = dim1.tensor("in", TensorType.FLOAT32, 1, 4).add();
        wt = dim1.tensor("w", TensorType.INT8, 3, 4).data(new byte[12])
                .perChannel(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 1).add();
        out = dim1.tensor("out", TensorType.FLOAT32, 1, 3).add();
        dim1.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, -1).outputs(out).options(PLAIN).add();
        dim1.inputs(in).outputs(out);
        assertMentions(refused(dim1), "weights tensor 1 'w'", "dimension 1");
    }

    @Test
    void aPerTensorBiasWhoseScaleTfLiteWouldRefuseIsRefused() {
        for (float biasScale : new float[] {0.0101f, 0f}) {
            TfLiteModelWriter w = new TfLiteModelWriter();
            int in = w.tensor("in", TensorType.INT8, 1, 4).quantization(0.5f, 0).add();
            int wt = w.tensor("w", TensorType.INT8, 3, 4).data(new byte[12]).quantization(0.02f, 0).add();
            // 0.5 x 0.02 = 0.01; 0.0101 is off by 1e-4 = 0.025 output steps of 0.004
            var bias = w.tensor("b", TensorType.INT32, 3).data(new int[3]);
            int b = (biasScale == 0 ? bias : bias.quantization(biasScale, 0)).add();
            int out = w.tensor("out", TensorType.INT8, 1, 3).quantization(0.004f, 0).add();
            w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, b).outputs(out).options(PLAIN).add();
            w.inputs(in).outputs(out);
            assertMentions(refused(w), "operator 0 (FULLY_CONNECTED)", "bias tensor 2 'b'", "0.02");
        }
    }

    @Test
    void weightsComputedAtRunTimeAreRefused() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, 4).add();
        int wt = w.tensor("w", TensorType.FLOAT32, 3, 4).add();
        int out = w.tensor("out", TensorType.FLOAT32, 1, 3).add();
        w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(in, wt, -1).outputs(out).options(PLAIN).add();
        w.inputs(in, wt).outputs(out);
        assertMentions(refused(w), "weights tensor 1 'w' is not constant");
    }

    @Test
    void int8ActivationOperatorsAreRefused() {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.INT8, 1, 4).quantization(0.1f, 0).add();
        int out = w.tensor("out", TensorType.INT8, 1, 4).quantization(1f / 256, -128).add();
        w.operator(BuiltinOperator.LOGISTIC).inputs(in).outputs(out).add();
        w.inputs(in).outputs(out);
        assertMentions(refused(w), "operator 0 (LOGISTIC)", "INT8", "FLOAT32 tensors only");
    }

    /** Found by ModelRunFuzzTest (fuzz/ModelRunFuzzTestInputs/run/crash-9239e7c5...): run() threw instead. */
    @Test
    void aRequantizationWhoseShiftTfLiteCannotRepresentIsRefusedAtOpen() throws Exception {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.INT8, 1, 4).quantization(1e37f, 0).add();
        int out = w.tensor("out", TensorType.INT8, 1, 4).quantization(0.05f, 0).add();
        w.operator(BuiltinOperator.QUANTIZE).inputs(in).outputs(out).add();
        w.inputs(in).outputs(out);
        assertMentions(refused(w), "operator 0 (QUANTIZE)", "DOUBLE_ROUNDING", "needs shift");
        // Single rounding saturates the shift at 30, as TFLite's single-rounding build does: that model runs.
        try (TfLiteModel m = TfLiteModel.read(MemorySegment.ofArray(w.toBytes()),
                Requantization.fixedPoint(Rounding.SINGLE_ROUNDING))) {
            TfLiteRunner r = m.newRunner(1);
            r.setInput(0, new byte[] {1, -1, 0, 5});
            r.run();
        }
    }

    /**
     * Found by ModelGraphFuzzTest (fuzz/ModelGraphFuzzTestInputs/graph/crash-3cfd1b75...): a model input other than
     * input 0 was never size-checked, so newRunner accepted one that no array holds (setInput then threw
     * ArithmeticException), or threw ArithmeticException itself when an operator read it.
     */
    @Test
    void aSecondInputLargerThanAnArrayIsRefusedByNewRunner() throws Exception {
        for (boolean read : new boolean[] {false, true}) {
            TfLiteModelWriter w = new TfLiteModelWriter();
            int in = w.tensor("in", TensorType.FLOAT32, 1, 4).add();
            int big = w.tensor("big", TensorType.FLOAT32, 65536, 65536).add();
            int wt = w.tensor("w", TensorType.INT8, 1, 4096).quantization(0.1f, 0).data(new byte[4096]).add();
            int out = w.tensor("out", TensorType.FLOAT32, 1, 4).add();
            int out2 = w.tensor("out2", TensorType.FLOAT32, 1048576, 1).add();
            w.operator(BuiltinOperator.RELU).inputs(in).outputs(out).add();
            if (read) {
                w.operator(BuiltinOperator.FULLY_CONNECTED).inputs(big, wt, -1).outputs(out2).options(PLAIN).add();
                w.inputs(in, big).outputs(out, out2);
            } else {
                w.inputs(in, big).outputs(out);
            }
            try (TfLiteModel m = TfLiteModel.read(MemorySegment.ofArray(w.toBytes()), Requantization.DOUBLE_FLOAT)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.newRunner(1));
                assertMentions(e.getMessage(), "tensor 1 'big'", "[65536, 65536]", "more elements than a Java array");
            }
        }
    }

    /**
     * Found by ModelGraphFuzzTest (fuzz/ModelGraphFuzzTestInputs/graph/crash-6613522b...): SOFTMAX checked the rank
     * of the shape in the file only, so a RESHAPE to a scalar before it made newRunner throw
     * ArrayIndexOutOfBoundsException.
     */
    @Test
    void softmaxOfWhatARunnerMakesAScalarIsRefusedByNewRunner() throws Exception {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1).add();
        int s = w.tensor("s", TensorType.FLOAT32, 1).add();
        int out = w.tensor("out", TensorType.FLOAT32, 1).add();
        w.operator(BuiltinOperator.RESHAPE).inputs(in).outputs(s).options(new ReshapeOptions(new int[0])).add();
        w.operator(BuiltinOperator.SOFTMAX).inputs(s).outputs(out).options(new SoftmaxOptions(1f)).add();
        w.inputs(in).outputs(out);
        try (TfLiteModel m = TfLiteModel.read(MemorySegment.ofArray(w.toBytes()), Requantization.DOUBLE_FLOAT)) {
            for (int batch = 1; batch <= 2; batch++) { // batch 2 is refused earlier, by the RESHAPE
                int b = batch;
                assertThrows(IllegalArgumentException.class, () -> m.newRunner(b));
                assertThrows(IllegalArgumentException.class, () -> m.newReferenceRunner(b));
            }
            assertMentions(assertThrows(IllegalArgumentException.class, () -> m.newRunner(1)).getMessage(),
                    "operator 1 (SOFTMAX)", "scalar");
        }
    }

    @Test
    void aBatchTheGraphCannotTakeIsRefusedByNewRunner() throws Exception {
        TfLiteModelWriter w = new TfLiteModelWriter();
        int in = w.tensor("in", TensorType.FLOAT32, 1, 4).add();
        int out = w.tensor("out", TensorType.FLOAT32, 4).add();
        w.operator(BuiltinOperator.RESHAPE).inputs(in).outputs(out).options(new ReshapeOptions(new int[] {4})).add();
        w.inputs(in).outputs(out);
        try (TfLiteModel m = TfLiteModel.read(MemorySegment.ofArray(w.toBytes()), Requantization.DOUBLE_FLOAT)) {
            m.newRunner(1).run();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.newRunner(2));
            assertMentions(e.getMessage(), "operator 0 (RESHAPE)", "[2, 4]", "[4]");
            assertMentions(assertThrows(IllegalArgumentException.class, () -> m.newRunner(0)).getMessage(),
                    "batch = 0");
        }
    }

    @Test
    void wrongRunnerArgumentsAreRefusedBeforeAnythingIsWritten() throws Exception {
        try (TfLiteModel m = TfLiteModel.read(MemorySegment.ofArray(fc(w -> {}, PLAIN).toBytes()),
                Requantization.DOUBLE_FLOAT)) {
            TfLiteRunner r = m.newRunner(2);
            r.setInput(0, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
            r.run();
            float[] before = new float[6];
            r.getOutput(0, before);
            assertMentions(assertThrows(IndexOutOfBoundsException.class, () -> r.setInput(1, new float[8]))
                    .getMessage(), "input index 1", "[0, 1)");
            assertMentions(assertThrows(IllegalArgumentException.class, () -> r.setInput(0, new byte[8]))
                    .getMessage(), "'in' is FLOAT32", "float[]");
            assertMentions(assertThrows(IllegalArgumentException.class, () -> r.setInput(0, new float[7]))
                    .getMessage(), "8 elements", "7");
            assertThrows(NullPointerException.class, () -> r.setInput(0, (float[]) null));
            float[] into = {9, 9, 9, 9, 9};
            assertThrows(IllegalArgumentException.class, () -> r.getOutput(0, into));
            assertTrue(java.util.Arrays.equals(new float[] {9, 9, 9, 9, 9}, into), "a refused read wrote");
            r.run();
            float[] after = new float[6];
            r.getOutput(0, after);
            assertTrue(java.util.Arrays.equals(before, after), "a refused setInput changed the input");
        }
    }
}
