package dev.qlanes;

import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Shared material of the layer tests: random layers and inputs (value profiles with -128, zeros, NaN, ±Inf,
 * -0.0, subnormals), the reference twins, the three ways to hold weights and activations, a shared 4-thread
 * executor, and bit-exact comparisons with coordinates in the message. {@code -Dqlanes.test.scale=small} (the
 * interpreter and forced-512-bit forks) shrinks every loop; {@code -Dqlanes.test.seed} reproduces a failure.
 */
final class LayerFixtures {
    private LayerFixtures() {}

    static final boolean SMALL = "small".equals(System.getProperty("qlanes.test.scale"));
    static final long SEED = Long.getLong("qlanes.test.seed", 0x5EED_0006L);
    /** Written after every output; must survive every call. */
    static final int PADDING = 5;
    static final float FLOAT_CANARY = -1234.5f;
    static final byte BYTE_CANARY = (byte) 0x5A;

    /** Worker threads for parallel layers, daemon so that a failing test cannot hang the JVM. */
    static final ExecutorService POOL = Executors.newFixedThreadPool(4, daemon("qlanes-test-worker"));

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static final int[] UNITS = SMALL ? new int[] {1, 5, 17, 33} : new int[] {1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 33, 64,
        65, 100, 130};
    static final int[] INPUT_SIZES = SMALL ? new int[] {1, 7, 17, 40} : new int[] {1, 2, 3, 7, 8, 15, 16, 17, 31, 32,
        33, 63, 64, 65, 127, 129, 255, 300, 1000};
    static final int[] BATCHES = SMALL ? new int[] {1, 3, 5} : new int[] {1, 2, 3, 4, 5, 8};

    static int pick(SplittableRandom random, int[] values) {
        return values[random.nextInt(values.length)];
    }

    /** Where weights live. */
    enum WeightsSource {
        /** {@code byte[]}, copied. */
        ARRAY,
        /** A heap segment over a {@code byte[]}: read through the array, in place. */
        HEAP_SEGMENT,
        /** A read-only heap segment: the array is hidden, so it is copied. */
        READ_ONLY_HEAP_SEGMENT,
        /** Native memory of a shared arena. */
        NATIVE_SEGMENT,
        /** A memory-mapped temporary file (its own copy of the segment kernel). */
        MAPPED_SEGMENT;

        PreparedWeights prepare(byte[] w, int rows, int cols, float scale, float[] scales, Arena arena) {
            MemorySegment segment = switch (this) {
                case ARRAY -> null;
                case HEAP_SEGMENT -> {
                    byte[] padded = new byte[w.length + 3]; // at an offset, to exercise it
                    System.arraycopy(w, 0, padded, 3, w.length);
                    yield MemorySegment.ofArray(padded).asSlice(3, w.length);
                }
                case READ_ONLY_HEAP_SEGMENT -> MemorySegment.ofArray(w.clone()).asReadOnly();
                case NATIVE_SEGMENT -> arena.allocate(Math.max(1, w.length)).asSlice(0, w.length)
                        .copyFrom(MemorySegment.ofArray(w));
                case MAPPED_SEGMENT -> mapped(w, arena);
            };
            if (segment == null) {
                return scales == null ? PreparedWeights.perTensor(w, rows, cols, scale)
                        : PreparedWeights.perChannel(w, rows, cols, scales);
            }
            return scales == null ? PreparedWeights.perTensor(segment, rows, cols, scale)
                    : PreparedWeights.perChannel(segment, rows, cols, scales);
        }
    }

    /** {@code w} written to a temporary file (deleted on exit) and mapped read-only into {@code arena}. */
    static MemorySegment mapped(byte[] w, Arena arena) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("qlanes-weights", ".bin");
            file.toFile().deleteOnExit();
            java.nio.file.Files.write(file, w);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
                return channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, w.length, arena);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Where activations live. */
    enum Memory {
        ARRAY, HEAP_SEGMENT, NATIVE_SEGMENT
    }

    /** int8 weight profiles. */
    static byte[] weights(SplittableRandom random, int n) {
        int profile = random.nextInt(10);
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) {
            w[i] = switch (profile) {
                case 0 -> Byte.MIN_VALUE;                                    // all -128
                case 1 -> (i & 1) == 0 ? Byte.MAX_VALUE : Byte.MIN_VALUE;   // extremes
                case 2 -> random.nextInt(8) == 0 ? (byte) random.nextInt(256) : 0; // sparse
                case 3 -> (byte) (random.nextInt(255) - 127);                // TFLite-symmetric
                default -> (byte) random.nextInt(256);                       // uniform, -128 included
            };
        }
        return w;
    }

    static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = random.nextInt(6) == 0 ? (random.nextBoolean() ? Byte.MIN_VALUE : Byte.MAX_VALUE)
                    : (byte) random.nextInt(256);
        }
        return b;
    }

    /** Float activations: mostly Gaussian, sometimes a whole zero tensor, zero rows, or special values. */
    static float[] floats(SplittableRandom random, int batch, int size) {
        float[] f = new float[batch * size];
        int profile = random.nextInt(12);
        if (profile == 0) {
            if (random.nextBoolean()) {
                f[random.nextInt(f.length)] = -0.0f; // still all zero
            }
            return f;
        }
        double scale = Math.pow(10, random.nextInt(7) - 3);
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (random.nextGaussian() * scale);
            if (profile == 1 && random.nextInt(4) == 0) {
                f[i] = special(random);
            }
            if (profile == 2 && random.nextInt(3) == 0) {
                f[i] = random.nextBoolean() ? 0.0f : -0.0f;
            }
        }
        if (profile == 3 && batch > 1) {
            Arrays.fill(f, 0, size, 0.0f); // one zero row in a non-zero tensor
        }
        if (profile == 4) {
            for (int i = 0; i < f.length; i++) {
                f[i] = Math.abs(f[i]); // all positive: asymmetric zero point -128
            }
        }
        if (profile == 6) { // half-integers spanning ±127.5: scale 1 and exact .5 ties in both quantizers
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < size; i++) {
                    f[b * size + i] = random.nextInt(-255, 256) / 2.0f;
                }
                f[b * size] = -127.5f;
                f[b * size + size - 1] = size > 1 ? 127.5f : f[b * size + size - 1];
            }
        }
        if (profile == 5) {
            for (int i = 0; i < f.length; i++) {
                f[i] = random.nextBoolean() ? Float.MIN_VALUE * random.nextInt(1, 100) : 0.0f; // subnormal range
            }
        }
        return f;
    }

    static float special(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> Float.NaN;
            case 1 -> Float.POSITIVE_INFINITY;
            case 2 -> Float.NEGATIVE_INFINITY;
            case 3 -> -0.0f;
            case 4 -> Float.MIN_VALUE;
            default -> Float.MAX_VALUE;
        };
    }

    static float scale(SplittableRandom random) {
        return (float) Math.pow(10, -3 + 3 * random.nextDouble());
    }

    /** {@code 2^e} for a random {@code e} in {@code [lo, hi]}. */
    static float powerOfTwo(SplittableRandom random, int lo, int hi) {
        return Math.scalb(1.0f, random.nextInt(lo, hi + 1));
    }

    static float[] scales(SplittableRandom random, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = scale(random);
        }
        return s;
    }

    static float[] bias(SplittableRandom random, int units) {
        if (random.nextInt(4) == 0) {
            return null;
        }
        float[] b = new float[units];
        for (int i = 0; i < units; i++) {
            b[i] = random.nextInt(8) == 0 ? -0.0f : (float) random.nextGaussian() * 4;
        }
        return b;
    }

    static int[] intBias(SplittableRandom random, int units) {
        if (random.nextInt(4) == 0) {
            return null;
        }
        int[] b = new int[units];
        for (int i = 0; i < units; i++) {
            b[i] = random.nextInt(16) == 0 ? (random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE)
                    : random.nextInt(-100_000, 100_000);
        }
        return b;
    }

    /** A hybrid case: everything {@link ReferenceHybridFullyConnected#eval} takes. */
    record HybridCase(int batch, int units, int inputSize, byte[] weights, float scale, float[] perChannel,
            float[] bias, boolean asymmetric, FusedActivation activation, float[] input) {

        static HybridCase random(SplittableRandom random, boolean perChannel, boolean asymmetric,
                FusedActivation activation) {
            int units = pick(random, UNITS);
            int inputSize = pick(random, INPUT_SIZES);
            int batch = pick(random, BATCHES);
            return new HybridCase(batch, units, inputSize, LayerFixtures.weights(random, units * inputSize),
                    LayerFixtures.scale(random), perChannel ? LayerFixtures.scales(random, units) : null,
                    LayerFixtures.bias(random, units), asymmetric, activation, floats(random, batch, inputSize));
        }

        /** The reference output, padded with canaries. */
        float[] expected() {
            float[] out = paddedFloats(batch * units);
            ReferenceHybridFullyConnected.eval(input, batch, inputSize, weights, units, scale, perChannel, bias,
                    asymmetric, activation, out);
            return out;
        }

        PreparedWeights prepare(WeightsSource source, Arena arena) {
            return source.prepare(weights, units, inputSize, scale, perChannel, arena);
        }

        HybridFullyConnected layer(PreparedWeights w, int parallelism) {
            HybridFullyConnected.Builder b = HybridFullyConnected.builder(w).bias(bias).asymmetricInputs(asymmetric)
                    .activation(activation);
            if (parallelism > 1) {
                b.parallelism(parallelism).executor(POOL).parallelThreshold(1);
            }
            return b.build();
        }

        /** Runs the layer with activations held in {@code memory}; returns the padded output. */
        float[] run(HybridFullyConnected layer, Memory memory, Arena arena) {
            float[] out = paddedFloats(batch * units);
            switch (memory) {
                case ARRAY -> layer.eval(input.clone(), batch, out);
                case HEAP_SEGMENT -> layer.eval(MemorySegment.ofArray(input.clone()), batch, MemorySegment.ofArray(out));
                case NATIVE_SEGMENT -> {
                    MemorySegment in = arena.allocate(4L * Math.max(1, input.length), 4);
                    MemorySegment.copy(input, 0, in, ValueLayout.JAVA_FLOAT, 0, input.length);
                    MemorySegment o = arena.allocate(4L * out.length, 4);
                    MemorySegment.copy(out, 0, o, ValueLayout.JAVA_FLOAT, 0, out.length);
                    layer.eval(in, batch, o);
                    MemorySegment.copy(o, ValueLayout.JAVA_FLOAT, 0, out, 0, out.length);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "hybrid " + batch + "x" + units + "x" + inputSize + (perChannel != null ? " per-channel" : "")
                    + (asymmetric ? " asymmetric" : " symmetric") + " " + activation + (bias == null ? " no-bias" : "");
        }
    }

    /** A full-integer case: everything {@link ReferenceQuantizedFullyConnected#eval} takes. */
    record QuantizedCase(int batch, int units, int inputSize, byte[] weights, float inputScale, int inputZeroPoint,
            float filterScale, float[] perChannel, int[] bias, float outputScale, int outputZeroPoint,
            FusedActivation activation, Requantization requantization, byte[] input) {

        /** A fixed-point case in {@code rounding}. */
        QuantizedCase(int batch, int units, int inputSize, byte[] weights, float inputScale, int inputZeroPoint,
                float filterScale, float[] perChannel, int[] bias, float outputScale, int outputZeroPoint,
                FusedActivation activation, Rounding rounding, byte[] input) {
            this(batch, units, inputSize, weights, inputScale, inputZeroPoint, filterScale, perChannel, bias,
                    outputScale, outputZeroPoint, activation, Requantization.fixedPoint(rounding), input);
        }

        static QuantizedCase random(SplittableRandom random, boolean perChannel, Rounding rounding,
                FusedActivation activation) {
            return random(random, perChannel, Requantization.fixedPoint(rounding), activation);
        }

        /**
         * Random shape, operands, zero points and scales; a third of the cases take powers of two for every scale,
         * so that exact ties occur in every requantization (the effective scale is then a power of two too).
         */
        static QuantizedCase random(SplittableRandom random, boolean perChannel, Requantization requantization,
                FusedActivation activation) {
            int units = pick(random, UNITS);
            int inputSize = pick(random, INPUT_SIZES);
            int batch = pick(random, BATCHES);
            boolean dyadic = random.nextInt(3) == 0;
            float inputScale = dyadic ? powerOfTwo(random, -10, -3) : (float) Math.pow(10, -3 + 2 * random.nextDouble());
            // Output scales from tiny (multipliers > 1, positive shifts) to large (tiny multipliers)
            float outputScale = dyadic ? powerOfTwo(random, -12, 3) : (float) Math.pow(10, -4 + 5 * random.nextDouble());
            float filterScale = dyadic ? powerOfTwo(random, -12, -3) : scale(random) / 10;
            float[] channelScales = null;
            if (perChannel) {
                channelScales = scales(random, units);
                for (int u = 0; dyadic && u < units; u++) {
                    channelScales[u] = powerOfTwo(random, -12, -3);
                }
            }
            return new QuantizedCase(batch, units, inputSize, LayerFixtures.weights(random, units * inputSize), inputScale,
                    random.nextInt(-128, 128), filterScale, channelScales, intBias(random, units), outputScale,
                    random.nextInt(-128, 128), activation, requantization, bytes(random, batch * inputSize));
        }

        byte[] expected() {
            byte[] out = paddedBytes(batch * units);
            ReferenceQuantizedFullyConnected.eval(input, batch, inputSize, inputScale, inputZeroPoint, weights, units,
                    filterScale, perChannel, bias, outputScale, outputZeroPoint, activation, requantization, out);
            return out;
        }

        PreparedWeights prepare(WeightsSource source, Arena arena) {
            return source.prepare(weights, units, inputSize, filterScale, perChannel, arena);
        }

        QuantizedFullyConnected layer(PreparedWeights w, int parallelism) {
            QuantizedFullyConnected.Builder b = QuantizedFullyConnected.builder(w).input(inputScale, inputZeroPoint)
                    .output(outputScale, outputZeroPoint).bias(bias).activation(activation);
            // Both setters: the rounding one for half of the fixed-point cases, the requantization one otherwise
            if (requantization.isFixedPoint() && ((batch + units + inputSize) & 1) == 0) {
                b.rounding(requantization.rounding());
            } else {
                b.requantization(requantization);
            }
            if (parallelism > 1) {
                b.parallelism(parallelism).executor(POOL).parallelThreshold(1);
            }
            return b.build();
        }

        byte[] run(QuantizedFullyConnected layer, Memory memory, Arena arena) {
            byte[] out = paddedBytes(batch * units);
            switch (memory) {
                case ARRAY -> layer.eval(input.clone(), batch, out);
                case HEAP_SEGMENT -> layer.eval(MemorySegment.ofArray(input.clone()), batch, MemorySegment.ofArray(out));
                case NATIVE_SEGMENT -> {
                    MemorySegment in = arena.allocate(Math.max(1, input.length));
                    MemorySegment.copy(input, 0, in, ValueLayout.JAVA_BYTE, 0, input.length);
                    MemorySegment o = arena.allocate(out.length);
                    MemorySegment.copy(out, 0, o, ValueLayout.JAVA_BYTE, 0, out.length);
                    layer.eval(in, batch, o);
                    MemorySegment.copy(o, ValueLayout.JAVA_BYTE, 0, out, 0, out.length);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "quantized " + batch + "x" + units + "x" + inputSize + (perChannel != null ? " per-channel" : "")
                    + " " + requantization + " " + activation + " zp " + inputZeroPoint + "/" + outputZeroPoint
                    + " scales " + inputScale + "/" + filterScale + "/" + outputScale + (bias == null ? " no-bias" : "");
        }
    }

    static float[] paddedFloats(int n) {
        float[] out = new float[n + PADDING];
        Arrays.fill(out, FLOAT_CANARY);
        return out;
    }

    static byte[] paddedBytes(int n) {
        byte[] out = new byte[n + PADDING];
        Arrays.fill(out, BYTE_CANARY);
        return out;
    }

    /** Each float's raw bits, for bit-exact array comparisons (null stays null). */
    static int[] rawBits(float[] values) {
        if (values == null) {
            return null;
        }
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** Floats compared by raw bits, with the first differing (batch, unit) in the message. */
    static void assertSameBits(float[] expected, float[] actual, int units, String where) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(where + ": (batch " + i / Math.max(1, units) + ", unit " + i % Math.max(1, units) + ") expected "
                        + expected[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), got "
                        + actual[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")"
                        + (i >= expected.length - PADDING ? " [canary overwritten]" : "") + ", seed " + SEED);
            }
        }
    }

    static void assertSameBytes(byte[] expected, byte[] actual, int units, String where) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail(where + ": (batch " + i / Math.max(1, units) + ", unit " + i % Math.max(1, units) + ") expected "
                        + expected[i] + ", got " + actual[i]
                        + (i >= expected.length - PADDING ? " [canary overwritten]" : "") + ", seed " + SEED);
            }
        }
    }
}
