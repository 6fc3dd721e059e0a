package dev.qlanes.jmh;

import java.util.SplittableRandom;

/** Reproducible benchmark operands. */
final class Data {
    private Data() {}

    static final long SEED = 42;

    /** Uniform int8 over the full range, -128 included (the exact path). */
    static byte[] int8(SplittableRandom random, int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) random.nextInt(256);
        }
        return a;
    }

    /** Symmetric int8 weights in [-127, 127], as TFLite's quantizer produces them. */
    static byte[] weights(SplittableRandom random, int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (random.nextInt(255) - 127);
        }
        return a;
    }

    /** Gaussian floats, like activations. */
    static float[] floats(SplittableRandom random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }
}
