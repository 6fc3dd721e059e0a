package dev.qlanes.jmh;

import dev.qlanes.reference.Requantization;
import dev.qlanes.tflite.TfLiteModel;
import dev.qlanes.tflite.TfLiteRunner;
import dev.qlanes.tflite.schema.TensorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole-model latency of real {@code .tflite} files on {@link TfLiteModel}: MLPerf Tiny's ToyCar autoencoder
 * (ten FULLY_CONNECTED layers, 640-128-...-8-...-640) in float and hybrid form, and tflite-micro's hello_world in
 * float and int8 form, at batch 1 and 32. One {@link TfLiteRunner#run()} per op. {@code @Setup} checks the run
 * against the model's reference runner bit for bit, so a wrong answer produces no number.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class ModelBenchmark {

    /** The shared real models, by file name in the {@code models/} resource folder. */
    public enum RealModel {
        TOYCAR_FLOAT("model_ToyCar.tflite"),
        TOYCAR_HYBRID("model_ToyCar_quant.tflite"),
        HELLO_FLOAT("hello_world_float.tflite"),
        HELLO_INT8("hello_world_int8.tflite");

        final String file;

        RealModel(String file) {
            this.file = file;
        }

        /** The model copied out of the jar into a temporary file, since a model is opened from a path. */
        public Path extract() throws IOException {
            Path p = Files.createTempFile("qlanes-model", ".tflite");
            try (InputStream in = ModelBenchmark.class.getResourceAsStream("/models/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("resource /models/" + file + " is missing from the jar");
                }
                Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return p;
        }
    }

    @Param({"TOYCAR_FLOAT", "TOYCAR_HYBRID", "HELLO_FLOAT", "HELLO_INT8"})
    RealModel model;

    @Param({"1", "32"})
    int batch;

    private Path file;
    private TfLiteModel opened;
    private TfLiteRunner runner;

    @Setup
    public void setUp() throws IOException {
        file = model.extract();
        opened = TfLiteModel.open(file, Requantization.DOUBLE_FLOAT);
        runner = opened.newRunner(batch);
        TfLiteRunner reference = opened.newReferenceRunner(batch);
        fillInputs(runner, reference, new Random(42));
        runner.run();
        reference.run();
        for (int i = 0; i < runner.outputCount(); i++) {
            int n = count(runner.outputShape(i));
            if (runner.outputType(i) == TensorType.FLOAT32) {
                float[] a = new float[n];
                float[] b = new float[n];
                runner.getOutput(i, a);
                reference.getOutput(i, b);
                Checks.sameBits(model + " output " + i, b, a);
            } else {
                byte[] a = new byte[n];
                byte[] b = new byte[n];
                runner.getOutput(i, a);
                reference.getOutput(i, b);
                Checks.equal(model + " output " + i, b, a);
            }
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        opened.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public void run() {
        runner.run();
    }

    /** Seeded inputs in [-1, 1) (float) or over the whole int8 range, the same for both runners. */
    static void fillInputs(TfLiteRunner a, TfLiteRunner b, Random random) {
        for (int i = 0; i < a.inputCount(); i++) {
            int n = count(a.inputShape(i));
            if (a.inputType(i) == TensorType.FLOAT32) {
                float[] x = new float[n];
                for (int k = 0; k < n; k++) {
                    x[k] = random.nextFloat() * 2 - 1;
                }
                a.setInput(i, x);
                b.setInput(i, x);
            } else {
                byte[] x = new byte[n];
                random.nextBytes(x);
                a.setInput(i, x);
                b.setInput(i, x);
            }
        }
    }

    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
