package dev.qlanes.tflite.tool;

import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import dev.qlanes.tflite.TfLiteModel;
import dev.qlanes.tflite.TfLiteRunner;
import dev.qlanes.tflite.UnsupportedModelException;
import dev.qlanes.tflite.schema.ModelFile;
import dev.qlanes.tflite.schema.OperatorInfo;
import dev.qlanes.tflite.schema.TensorInfo;
import dev.qlanes.tflite.schema.TensorType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * The command-line tool behind {@code ./qlanes-tflite}: {@code inspect} prints a model's operators, tensors and
 * quantization and whether qlanes can run it; {@code run} runs it on random inputs, checks the result against the
 * reference runner bit for bit, and prints the latency.
 */
public final class TfLiteTool {
    private static final String USAGE = """
            usage: qlanes-tflite inspect MODEL [--rounding double|single]
                   qlanes-tflite run MODEL [--batch N] [--iterations N] [--seed N] [--rounding double|single]
              --rounding   int8 FULLY_CONNECTED with TFLite's fixed-point multiplier (double: default build,
                           single: ruy/ARM64); without it, TFLite's reference double-precision requantization
            """;

    private TfLiteTool() {}

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status (0 ok, 1 model refused, 2 usage). */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length < 2) {
            err.print(USAGE);
            return 2;
        }
        Path model = Path.of(args[1]);
        Requantization requantization = Requantization.DOUBLE_FLOAT;
        int batch = 1;
        int iterations = 1000;
        long seed = 1;
        for (int i = 2; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--rounding" -> requantization = Requantization.fixedPoint(
                        "single".equals(value) ? Rounding.SINGLE_ROUNDING : Rounding.DOUBLE_ROUNDING);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> {
                    err.print("unknown option " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
            i++;
        }
        return switch (args[0]) {
            case "inspect" -> inspect(model, requantization, out);
            case "run" -> runModel(model, requantization, batch, iterations, seed, out);
            default -> {
                err.print(USAGE);
                yield 2;
            }
        };
    }

    private static int inspect(Path path, Requantization requantization, PrintStream out) throws IOException {
        try (TfLiteModel model = TfLiteModel.open(path, requantization)) {
            out.print(model.describe());
            out.println("qlanes can run this model.");
            return 0;
        } catch (UnsupportedModelException e) {
            // Still show what the file holds, so the user sees what is in the way.
            try (ModelFile file = ModelFile.open(path)) {
                out.println("operators:");
                for (OperatorInfo op : file.operators()) {
                    out.printf("  %3d %-16s in %s out %s%n", op.index(), op.op().name(), Arrays.toString(op.inputs()),
                            Arrays.toString(op.outputs()));
                }
                out.println("tensors:");
                for (TensorInfo t : file.tensors()) {
                    out.printf("  %3d %-8s %-16s %s%n", t.index(), t.type(), Arrays.toString(t.shape()), t.name());
                }
            }
            out.println("qlanes cannot run this model: " + e.getMessage());
            return 1;
        }
    }

    private static int runModel(Path path, Requantization requantization, int batch, int iterations, long seed,
            PrintStream out) throws IOException {
        try (TfLiteModel model = TfLiteModel.open(path, requantization)) {
            TfLiteRunner runner = model.newRunner(batch);
            TfLiteRunner reference = model.newReferenceRunner(batch);
            Random random = new Random(seed);
            for (int i = 0; i < runner.inputCount(); i++) {
                int n = count(runner.inputShape(i));
                if (runner.inputType(i) == TensorType.FLOAT32) {
                    float[] x = new float[n];
                    for (int k = 0; k < n; k++) {
                        x[k] = random.nextFloat() * 2 - 1;
                    }
                    runner.setInput(i, x);
                    reference.setInput(i, x);
                } else {
                    byte[] x = new byte[n];
                    random.nextBytes(x);
                    runner.setInput(i, x);
                    reference.setInput(i, x);
                }
                out.printf("input %d: %s %s, random (seed %d)%n", i, runner.inputType(i),
                        Arrays.toString(runner.inputShape(i)), seed);
            }
            runner.run();
            reference.run();
            boolean same = true;
            for (int i = 0; i < runner.outputCount(); i++) {
                Object a = output(runner, i);
                Object b = output(reference, i);
                boolean eq = a instanceof float[] fa ? Arrays.equals(fa, (float[]) b) : Arrays.equals((byte[]) a,
                        (byte[]) b);
                same &= eq;
                out.printf("output %d: %s %s, first values %s%n", i, runner.outputType(i),
                        Arrays.toString(runner.outputShape(i)), head(a));
            }
            out.println("bit-identical to the reference runner: " + (same ? "yes" : "NO"));
            long[] times = new long[Math.max(1, iterations)];
            for (int w = 0; w < Math.max(100, iterations / 2); w++) {
                runner.run();
            }
            for (int k = 0; k < times.length; k++) {
                long t0 = System.nanoTime();
                runner.run();
                times[k] = System.nanoTime() - t0;
            }
            Arrays.sort(times);
            out.printf("latency over %d runs after warm-up (a rough figure; JMH's ModelBenchmark gives medians "
                    + "you can compare): median %.1f us, p90 %.1f us, min %.1f us%n", times.length,
                    times[times.length / 2] / 1e3, times[(int) (times.length * 0.9)] / 1e3, times[0] / 1e3);
            return same ? 0 : 3;
        }
    }

    private static Object output(TfLiteRunner r, int i) {
        int n = count(r.outputShape(i));
        if (r.outputType(i) == TensorType.FLOAT32) {
            float[] y = new float[n];
            r.getOutput(i, y);
            return y;
        }
        byte[] y = new byte[n];
        r.getOutput(i, y);
        return y;
    }

    private static String head(Object a) {
        if (a instanceof float[] f) {
            return Arrays.toString(Arrays.copyOf(f, Math.min(6, f.length)));
        }
        byte[] b = (byte[]) a;
        return Arrays.toString(Arrays.copyOf(b, Math.min(6, b.length)));
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
