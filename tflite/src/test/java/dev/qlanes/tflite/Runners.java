package dev.qlanes.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.tflite.schema.TensorType;
import java.util.Arrays;
import java.util.Random;

/** Test helpers: seeded inputs for several runners of one model, and output comparison by raw bits. */
final class Runners {
    private Runners() {}

    /** The same seeded inputs into every runner: floats in [-1, 1), int8 over the whole range. */
    static void fillRandom(Random random, TfLiteRunner... runners) {
        TfLiteRunner first = runners[0];
        for (int i = 0; i < first.inputCount(); i++) {
            int n = count(first.inputShape(i));
            if (first.inputType(i) == TensorType.FLOAT32) {
                float[] x = new float[n];
                for (int k = 0; k < n; k++) {
                    x[k] = random.nextFloat() * 2 - 1;
                }
                for (TfLiteRunner r : runners) {
                    r.setInput(i, x);
                }
            } else {
                byte[] x = new byte[n];
                random.nextBytes(x);
                for (TfLiteRunner r : runners) {
                    r.setInput(i, x);
                }
            }
        }
    }

    /** Every output of {@code actual} equals {@code expected}'s: floats by raw bits, bytes exactly. */
    static void assertSameOutputs(TfLiteRunner expected, TfLiteRunner actual, String what) {
        assertEquals(expected.outputCount(), actual.outputCount());
        for (int i = 0; i < expected.outputCount(); i++) {
            int n = count(expected.outputShape(i));
            if (expected.outputType(i) == TensorType.FLOAT32) {
                float[] e = new float[n];
                float[] a = new float[n];
                expected.getOutput(i, e);
                actual.getOutput(i, a);
                for (int k = 0; k < n; k++) {
                    if (Float.floatToRawIntBits(e[k]) != Float.floatToRawIntBits(a[k])) {
                        fail(what + ": output " + i + " element " + k + " expected " + e[k] + " got " + a[k]);
                    }
                }
            } else {
                byte[] e = new byte[n];
                byte[] a = new byte[n];
                expected.getOutput(i, e);
                actual.getOutput(i, a);
                int k = Arrays.mismatch(e, a);
                if (k >= 0) {
                    fail(what + ": output " + i + " element " + k + " expected " + e[k] + " got " + a[k]);
                }
            }
        }
    }

    /** Signal-to-noise ratio of {@code approx} against {@code exact}, in dB. */
    static double snrDb(float[] exact, float[] approx) {
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < exact.length; i++) {
            signal += (double) exact[i] * exact[i];
            double d = (double) exact[i] - approx[i];
            noise += d * d;
        }
        return 10 * Math.log10(signal / noise);
    }

    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
