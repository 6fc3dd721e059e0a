package dev.qlanes.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import dev.qlanes.tflite.schema.Quantization;
import dev.qlanes.tflite.schema.TensorType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;

/**
 * The real models nobody here wrote (MLPerf Tiny's ToyCar autoencoder, float and hybrid; tflite-micro's
 * hello_world, float and int8): qlanes' runner equals the reference runner (every operator through its scalar twin)
 * bit for bit at several batch sizes and in every requantization, and the models compute what they were trained to
 * (a sine; a reconstruction close to the float model's), which a misread weight or scale would break.
 */
class RealModelRunTest {
    static final String[] MODELS = {"model_ToyCar.tflite", "model_ToyCar_quant.tflite", "hello_world_float.tflite",
        "hello_world_int8.tflite"};

    static Path model(String name) {
        try {
            return Path.of(RealModelRunTest.class.getResource("/models/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Batches checked: 32 only at full scale (the interpreter and emulated 512-bit forks run small). */
    static final int[] BATCHES = "small".equals(System.getProperty("qlanes.test.scale")) ? new int[] {1, 3}
            : new int[] {1, 3, 32};

    static Stream<Arguments> modelsAndBatches() {
        return Stream.of(MODELS).flatMap(m -> java.util.Arrays.stream(BATCHES).mapToObj(b -> Arguments.of(m, b)));
    }

    @ParameterizedTest(name = "{0} batch {1}")
    @MethodSource("modelsAndBatches")
    void runnerEqualsReferenceRunnerBitForBit(String name, int batch) throws IOException {
        for (Requantization r : Requantization.values()) {
            try (TfLiteModel m = TfLiteModel.open(model(name), r)) {
                TfLiteRunner fast = m.newRunner(batch);
                TfLiteRunner reference = m.newReferenceRunner(batch);
                assertEquals(batch, fast.inputShape(0)[0]);
                for (int round = 0; round < 3; round++) {
                    Runners.fillRandom(new Random(round * 31L + batch), fast, reference);
                    fast.run();
                    reference.run();
                    Runners.assertSameOutputs(reference, fast, name + " " + r + " round " + round);
                }
            }
        }
    }

    /** Small layers keep heap copies of their weights, so a closed model must be refused by the runner itself. */
    @ParameterizedTest
    @MethodSource("models")
    void aClosedModelsRunnerThrows(String name) throws IOException {
        TfLiteModel m = TfLiteModel.open(model(name));
        TfLiteRunner runner = m.newRunner(1);
        runner.run();
        m.close();
        assertThrows(IllegalStateException.class, runner::run, name);
    }

    static Stream<String> models() {
        return Stream.of(MODELS);
    }

    @Test
    void helloWorldFloatComputesASine() throws IOException {
        try (TfLiteModel m = TfLiteModel.open(model("hello_world_float.tflite"))) {
            int batch = 64;
            TfLiteRunner r = m.newRunner(batch);
            float[] x = new float[batch];
            for (int i = 0; i < batch; i++) {
                x[i] = (float) (2 * Math.PI * i / batch);
            }
            r.setInput(0, x);
            r.run();
            float[] y = new float[batch];
            r.getOutput(0, y);
            for (int i = 0; i < batch; i++) {
                // The model is a small regressor trained on noisy samples: close to sin(x), not equal.
                assertTrue(Math.abs(y[i] - Math.sin(x[i])) < 0.2, "x = " + x[i] + ": y = " + y[i]);
            }
        }
    }

    @Test
    void helloWorldInt8ComputesASineInEveryRequantization() throws IOException {
        for (Requantization rq : Requantization.values()) {
            try (TfLiteModel m = TfLiteModel.open(model("hello_world_int8.tflite"), rq)) {
                int batch = 64;
                TfLiteRunner r = m.newRunner(batch);
                assertEquals(TensorType.INT8, r.inputType(0));
                Quantization qi = r.inputTensor(0).quantization();
                Quantization qo = r.outputTensor(0).quantization();
                byte[] x = new byte[batch];
                double[] real = new double[batch];
                for (int i = 0; i < batch; i++) {
                    double v = 2 * Math.PI * i / batch;
                    x[i] = (byte) Math.max(-128, Math.min(127, Math.round(v / qi.scales()[0] + qi.zeroPoints()[0])));
                    real[i] = (x[i] - qi.zeroPoints()[0]) * (double) qi.scales()[0];
                }
                r.setInput(0, x);
                r.run();
                byte[] y = new byte[batch];
                r.getOutput(0, y);
                for (int i = 0; i < batch; i++) {
                    double out = (y[i] - qo.zeroPoints()[0]) * (double) qo.scales()[0];
                    assertTrue(Math.abs(out - Math.sin(real[i])) < 0.2, rq + " x = " + real[i] + ": y = " + out);
                }
            }
        }
    }

    @Test
    void toyCarHybridReconstructsLikeTheFloatModel() throws IOException {
        int batch = 32;
        try (TfLiteModel f = TfLiteModel.open(model("model_ToyCar.tflite"));
                TfLiteModel h = TfLiteModel.open(model("model_ToyCar_quant.tflite"))) {
            TfLiteRunner rf = f.newRunner(batch);
            TfLiteRunner rh = h.newRunner(batch);
            assertArrayEquals(rf.inputShape(0), rh.inputShape(0));
            Runners.fillRandom(new Random(7), rf, rh);
            rf.run();
            rh.run();
            float[] yf = new float[batch * 640];
            float[] yh = new float[batch * 640];
            rf.getOutput(0, yf);
            rh.getOutput(0, yh);
            double snr = Runners.snrDb(yf, yh);
            // Dynamic-range quantization of this model keeps the output within a few percent of the float model's.
            assertTrue(snr > 20, "hybrid vs float SNR " + snr + " dB");
        }
    }

    @Test
    void everyRequantizationIsSelectable() throws IOException {
        try (TfLiteModel a = TfLiteModel.open(model("hello_world_int8.tflite"));
                TfLiteModel b = TfLiteModel.open(model("hello_world_int8.tflite"), Rounding.SINGLE_ROUNDING)) {
            assertEquals(Requantization.DOUBLE_FLOAT, a.requantization());
            assertEquals(Requantization.fixedPoint(Rounding.SINGLE_ROUNDING), b.requantization());
        }
    }
}
