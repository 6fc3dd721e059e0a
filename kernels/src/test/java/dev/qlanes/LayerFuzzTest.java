package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static dev.qlanes.LayerFixtures.SMALL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Drives every public entry point of the layer API ({@link PreparedWeights} factories, both builders, every
 * {@code eval}) with random and hostile arguments: null, negative, huge and overflowing sizes, short arrays and
 * segments, closed, read-only and foreign-thread-confined segments, NaN/Inf/zero/negative scales, out-of-range
 * zero points and options. A call may only succeed — and then its result must equal the reference twin's,
 * canaries intact — or throw one of the documented exceptions, with a message, leaving its output untouched.
 */
class LayerFuzzTest {
    private static final int ITERATIONS = SMALL ? 1_500 : 20_000;
    private static final Set<Class<? extends Throwable>> DOCUMENTED = Set.of(NullPointerException.class,
            IllegalArgumentException.class, IndexOutOfBoundsException.class, IllegalStateException.class,
            WrongThreadException.class);

    private final SplittableRandom random = new SplittableRandom(SEED + 30);
    private final Map<String, Integer> outcomes = new TreeMap<>();

    // Fixed small layers for the eval fuzz: 9 units × 13 inputs
    private static final int UNITS = 9;
    private static final int INPUT = 13;

    @Test
    void onlyDocumentedExceptionsAndUntouchedOutputs() throws Exception {
        SplittableRandom setup = new SplittableRandom(SEED + 31);
        byte[] w = LayerFixtures.weights(setup, UNITS * INPUT);
        float[] scales = LayerFixtures.scales(setup, UNITS);
        float[] bias = LayerFixtures.bias(setup, UNITS);
        int[] intBias = LayerFixtures.intBias(setup, UNITS);
        MemorySegment foreign = confinedToAnotherThread(64);
        try (Arena arena = Arena.ofShared()) {
            Arena closedArena = Arena.ofShared();
            MemorySegment closed = closedArena.allocate(4096);
            closedArena.close();
            PreparedWeights weights = PreparedWeights.perChannel(arena.allocate(w.length).copyFrom(
                    MemorySegment.ofArray(w)), UNITS, INPUT, scales);
            HybridFullyConnected hybrid = HybridFullyConnected.builder(weights).bias(bias).asymmetricInputs(true)
                    .activation(FusedActivation.RELU).parallelism(2).executor(LayerFixtures.POOL).parallelThreshold(1)
                    .build();
            QuantizedFullyConnected quantized = QuantizedFullyConnected.builder(PreparedWeights.perTensor(w, UNITS,
                    INPUT, 0.01f)).input(0.05f, 4).output(0.2f, -9).bias(intBias).activation(FusedActivation.RELU6)
                    .build();
            Segments segments = new Segments(arena, closed, foreign);
            for (int i = 0; i < ITERATIONS; i++) {
                switch (random.nextInt(7)) {
                    case 0 -> fuzzPrepareArray();
                    case 1 -> fuzzPrepareSegment(segments);
                    case 2 -> fuzzHybridBuilder(weights);
                    case 3 -> fuzzQuantizedBuilder(weights);
                    case 4 -> fuzzHybridArrays(hybrid, w, scales, bias);
                    case 5 -> fuzzHybridSegments(hybrid, w, scales, bias, segments);
                    default -> fuzzQuantized(quantized, w, intBias, segments);
                }
            }
        }
        int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("[LayerFuzzTest] " + total + " calls, seed " + (SEED + 30) + ": " + outcomes);
        assertTrue(total == ITERATIONS);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith("ok")), "some calls must succeed");
    }

    /** Runs {@code call}; records the outcome; fails on an undocumented exception or a message-less one. */
    private boolean attempt(String what, Runnable call) {
        try {
            call.run();
            outcomes.merge(what + " ok", 1, Integer::sum);
            return true;
        } catch (Throwable t) {
            if (!DOCUMENTED.contains(t.getClass())) {
                fail(what + " threw undocumented " + t, t);
            }
            assertNotNull(t.getMessage(), what + ": " + t.getClass().getSimpleName() + " without a message");
            outcomes.merge(what + " " + t.getClass().getSimpleName(), 1, Integer::sum);
            return false;
        }
    }

    private int hostileSize() {
        return switch (random.nextInt(10)) {
            case 0 -> -1;
            case 1 -> Integer.MIN_VALUE;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> 65536;
            case 4 -> 0;
            default -> random.nextInt(1, 20);
        };
    }

    private float hostileScale() {
        return switch (random.nextInt(10)) {
            case 0 -> 0.0f;
            case 1 -> -0.5f;
            case 2 -> Float.NaN;
            case 3 -> Float.POSITIVE_INFINITY;
            case 4 -> Float.MIN_VALUE;
            case 5 -> Float.MAX_VALUE;
            default -> LayerFixtures.scale(random);
        };
    }

    private int hostileZeroPoint() {
        return random.nextInt(5) == 0 ? (random.nextBoolean() ? 128 : -129 - random.nextInt(1000))
                : random.nextInt(-128, 128);
    }

    private byte[] maybeBytes(long n) {
        int r = random.nextInt(8);
        if (r == 0) {
            return null;
        }
        int len = r == 1 ? random.nextInt(0, 8) : (int) Math.min(Math.max(n + random.nextInt(-1, 3), 0), 4096);
        return LayerFixtures.bytes(random, len);
    }

    private float[] maybeFloats(long n) {
        int r = random.nextInt(8);
        if (r == 0) {
            return null;
        }
        int len = r == 1 ? random.nextInt(0, 8) : (int) Math.min(Math.max(n + random.nextInt(-1, 3), 0), 4096);
        float[] f = new float[len];
        for (int i = 0; i < len; i++) {
            f[i] = random.nextInt(10) == 0 ? LayerFixtures.special(random) : (float) random.nextGaussian();
        }
        return f;
    }

    private float[] maybeScales(int n) {
        float[] s = maybeFloats(n);
        if (s != null) {
            for (int i = 0; i < s.length; i++) {
                s[i] = hostileScale();
            }
        }
        return s;
    }

    private void fuzzPrepareArray() {
        int rows = hostileSize();
        int cols = hostileSize();
        byte[] w = maybeBytes((long) rows * cols);
        byte[] before = w == null ? null : w.clone();
        if (random.nextBoolean()) {
            float scale = hostileScale();
            attempt("PreparedWeights.perTensor(byte[])", () -> PreparedWeights.perTensor(w, rows, cols, scale));
        } else {
            float[] scales = maybeScales(rows);
            attempt("PreparedWeights.perChannel(byte[])", () -> PreparedWeights.perChannel(w, rows, cols, scales));
        }
        assertArrayEquals(before, w, "weights must never be written");
    }

    private void fuzzPrepareSegment(Segments segments) {
        int rows = hostileSize();
        int cols = hostileSize();
        MemorySegment w = segments.pick(random, (long) rows * cols, 1);
        if (random.nextBoolean()) {
            float scale = hostileScale();
            attempt("PreparedWeights.perTensor(segment)", () -> PreparedWeights.perTensor(w, rows, cols, scale));
        } else {
            float[] scales = maybeScales(rows);
            attempt("PreparedWeights.perChannel(segment)", () -> PreparedWeights.perChannel(w, rows, cols, scales));
        }
    }

    private void fuzzHybridBuilder(PreparedWeights weights) {
        attempt("HybridFullyConnected.Builder", () -> {
            HybridFullyConnected.Builder b = HybridFullyConnected.builder(random.nextInt(20) == 0 ? null : weights);
            b.bias(maybeFloats(UNITS));
            options(b);
            b.asymmetricInputs(random.nextBoolean()).build();
        });
    }

    private void fuzzQuantizedBuilder(PreparedWeights weights) {
        attempt("QuantizedFullyConnected.Builder", () -> {
            QuantizedFullyConnected.Builder b = QuantizedFullyConnected.builder(weights);
            if (random.nextInt(10) != 0) {
                b.input(hostileScale(), hostileZeroPoint());
            }
            if (random.nextInt(10) != 0) {
                b.output(hostileScale(), hostileZeroPoint());
            }
            int[] bias = random.nextInt(6) == 0 ? new int[random.nextInt(12)] : null;
            b.bias(bias);
            if (random.nextBoolean()) {
                b.rounding(random.nextInt(20) == 0 ? null : Rounding.values()[random.nextInt(2)]);
            } else {
                b.requantization(random.nextInt(20) == 0 ? null
                        : Requantization.values()[random.nextInt(Requantization.values().length)]);
            }
            options(b);
            b.build();
        });
    }

    private void options(LayerBuilder<?> b) {
        b.activation(random.nextInt(20) == 0 ? null : FusedActivation.values()[random.nextInt(4)]);
        if (random.nextInt(4) == 0) {
            b.parallelism(random.nextInt(6) == 0 ? hostileSize() : random.nextInt(1, 5));
        }
        if (random.nextInt(6) == 0) {
            b.parallelThreshold(random.nextInt(-2, 3));
        }
        if (random.nextInt(6) == 0) {
            b.expectedBatch(hostileSize());
        }
        if (random.nextInt(6) == 0) {
            b.maxConcurrentCalls(hostileSize());
        }
        if (random.nextInt(8) == 0) {
            b.executor(random.nextBoolean() ? null : LayerFixtures.POOL);
        }
    }

    private int hostileBatch() {
        return switch (random.nextInt(12)) {
            case 0 -> -1;
            case 1 -> Integer.MIN_VALUE;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> 1 << 28; // batch * size overflows int
            case 4 -> 0;
            default -> random.nextInt(1, 5);
        };
    }

    private void fuzzHybridArrays(HybridFullyConnected layer, byte[] w, float[] scales, float[] bias) {
        int batch = hostileBatch();
        float[] input = maybeFloats((long) batch * INPUT);
        float[] output = random.nextInt(15) == 0 ? input : maybeFloats((long) batch * UNITS);
        float[] outputBefore = output == null ? null : output.clone();
        float[] inputBefore = input == null ? null : input.clone();
        if (attempt("HybridFullyConnected.eval(float[])", () -> layer.eval(input, batch, output))) {
            if (output != input) {
                float[] expected = outputBefore.clone();
                ReferenceHybridFullyConnected.eval(inputBefore, batch, INPUT, w, UNITS, 0, scales, bias, true,
                        FusedActivation.RELU, expected);
                LayerFixtures.assertSameBits(expected, output, UNITS, "hybrid fuzz batch " + batch);
                assertArrayEquals(inputBefore, input, "input must not be written");
            }
        } else {
            assertArrayEquals(outputBefore, output, "output must be untouched after a rejected call");
        }
    }

    private void fuzzHybridSegments(HybridFullyConnected layer, byte[] w, float[] scales, float[] bias,
            Segments segments) {
        int batch = hostileBatch();
        MemorySegment input = segments.pick(random, (long) batch * INPUT, Float.BYTES);
        MemorySegment output = segments.pick(random, (long) batch * UNITS, Float.BYTES);
        byte[] outputBefore = snapshot(output);
        byte[] inputBefore = snapshot(input);
        if (attempt("HybridFullyConnected.eval(segment)", () -> layer.eval(input, batch, output))) {
            if (batch == 0) {
                assertArrayEquals(outputBefore, snapshot(output), "batch 0 writes nothing");
            } else if (!input.asOverlappingSlice(output).isPresent()) {
                float[] in = MemorySegment.ofArray(inputBefore).asSlice(0, 4L * batch * INPUT)
                        .toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
                float[] expected = new float[batch * UNITS];
                ReferenceHybridFullyConnected.eval(in, batch, INPUT, w, UNITS, 0, scales, bias, true,
                        FusedActivation.RELU, expected);
                float[] actual = output.asSlice(0, 4L * batch * UNITS).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
                LayerFixtures.assertSameBits(expected, actual, UNITS, "hybrid segment fuzz");
                byte[] tail = snapshot(output.asSlice(4L * batch * UNITS));
                assertArrayEquals(Arrays.copyOfRange(outputBefore, 4 * batch * UNITS, outputBefore.length), tail,
                        "bytes past the output must be untouched");
            }
        } else {
            assertArrayEquals(outputBefore, snapshot(output), "output must be untouched after a rejected call");
        }
    }

    private void fuzzQuantized(QuantizedFullyConnected layer, byte[] w, int[] intBias, Segments segments) {
        int batch = hostileBatch();
        if (random.nextBoolean()) {
            byte[] input = maybeBytes((long) batch * INPUT);
            byte[] output = random.nextInt(15) == 0 ? input : maybeBytes((long) batch * UNITS);
            byte[] before = output == null ? null : output.clone();
            byte[] inputBefore = input == null ? null : input.clone();
            if (attempt("QuantizedFullyConnected.eval(byte[])", () -> layer.eval(input, batch, output))) {
                byte[] expected = before.clone();
                ReferenceQuantizedFullyConnected.eval(inputBefore, batch, INPUT, 0.05f, 4, w, UNITS, 0.01f, null,
                        intBias, 0.2f, -9, FusedActivation.RELU6, Rounding.DOUBLE_ROUNDING, expected);
                assertArrayEquals(expected, output);
            } else {
                assertArrayEquals(before, output, "output must be untouched after a rejected call");
            }
        } else {
            MemorySegment input = segments.pick(random, (long) batch * INPUT, 1);
            MemorySegment output = segments.pick(random, (long) batch * UNITS, 1);
            byte[] before = snapshot(output);
            if (!attempt("QuantizedFullyConnected.eval(segment)", () -> layer.eval(input, batch, output))) {
                assertArrayEquals(before, snapshot(output), "output must be untouched after a rejected call");
            }
        }
    }

    /** The readable bytes of a segment, or null when it cannot be read from this thread. */
    private static byte[] snapshot(MemorySegment s) {
        if (s == null || !s.scope().isAlive() || !s.isAccessibleBy(Thread.currentThread())) {
            return null;
        }
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    private static MemorySegment confinedToAnotherThread(long size) throws InterruptedException {
        AtomicReference<MemorySegment> segment = new AtomicReference<>();
        Thread owner = new Thread(() -> segment.set(Arena.ofConfined().allocate(size)));
        owner.start();
        owner.join();
        return segment.get();
    }

    /** Hostile and valid segments for activations and weights. */
    private record Segments(Arena arena, MemorySegment closed, MemorySegment foreign) {
        MemorySegment pick(SplittableRandom random, long elements, int elementBytes) {
            long bytes = Math.max(0, Math.min(elements, 1 << 12)) * elementBytes;
            return switch (random.nextInt(12)) {
                case 0 -> null;
                case 1 -> closed;
                case 2 -> foreign;
                case 3 -> arena.allocate(bytes + elementBytes).asReadOnly();
                case 4 -> arena.allocate(Math.max(0, bytes - elementBytes)); // one element short
                case 5 -> MemorySegment.ofArray(new float[(int) (bytes / 4 + 3)]).asSlice(1); // unaligned heap
                case 6 -> MemorySegment.NULL;
                default -> {
                    MemorySegment s = random.nextBoolean() ? arena.allocate(bytes + 8)
                            : MemorySegment.ofArray(new byte[(int) bytes + 8]);
                    for (long i = 0; i < s.byteSize(); i++) {
                        s.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
                    }
                    yield s;
                }
            };
        }
    }
}
