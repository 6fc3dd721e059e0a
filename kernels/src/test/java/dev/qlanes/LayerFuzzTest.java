package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static dev.qlanes.LayerFixtures.SMALL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.ReferenceHybridFullyConnected;
import dev.qlanes.reference.ReferenceQuantizedFullyConnected;
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Drives every public entry point of the layer API ({@link PreparedWeights} factories, both builders, every
 * {@code eval}) with random and hostile arguments: null, negative, huge and overflowing sizes, short and exact
 * arrays and segments, closed, read-only and foreign-thread-confined segments, NaN/Inf/zero/negative scales,
 * out-of-range zero points and options, in-place and overlapping activations. Every call either succeeds — and
 * is then checked against the reference twin bit for bit (prepared weights: bytes, scales and row sums; builders:
 * one evaluation of the built layer; evals: the whole output, bytes past the result included, and the input
 * unchanged) — or throws one of the documented exceptions, with a message, leaving every output byte untouched.
 * Each (entry point, outcome) pair is counted, and the test fails when an outcome it expects was never reached:
 * a fuzz whose successes or rejections stopped happening checks nothing.
 */
class LayerFuzzTest {
    private static final int ITERATIONS = SMALL ? 4_000 : 20_000;
    private static final Set<Class<? extends Throwable>> DOCUMENTED = Set.of(NullPointerException.class,
            IllegalArgumentException.class, IndexOutOfBoundsException.class, IllegalStateException.class,
            WrongThreadException.class);

    private static final String OK = "ok";
    private static final String NPE = NullPointerException.class.getSimpleName();
    private static final String IAE = IllegalArgumentException.class.getSimpleName();
    private static final String IOOBE = IndexOutOfBoundsException.class.getSimpleName();
    private static final String ISE = IllegalStateException.class.getSimpleName();
    private static final String WTE = WrongThreadException.class.getSimpleName();

    private static final String PREPARE_TENSOR_ARRAY = "PreparedWeights.perTensor(byte[])";
    private static final String PREPARE_CHANNEL_ARRAY = "PreparedWeights.perChannel(byte[])";
    private static final String PREPARE_TENSOR_SEGMENT = "PreparedWeights.perTensor(segment)";
    private static final String PREPARE_CHANNEL_SEGMENT = "PreparedWeights.perChannel(segment)";
    private static final String HYBRID_BUILDER = "HybridFullyConnected.Builder";
    private static final String QUANTIZED_BUILDER = "QuantizedFullyConnected.Builder";
    private static final String HYBRID_ARRAYS = "HybridFullyConnected.eval(float[])";
    private static final String HYBRID_SEGMENTS = "HybridFullyConnected.eval(segment)";
    private static final String QUANTIZED_ARRAYS = "QuantizedFullyConnected.eval(byte[])";
    private static final String QUANTIZED_SEGMENTS = "QuantizedFullyConnected.eval(segment)";
    /** Successes where input and output are the same array or segment, counted apart from the others. */
    private static final String IN_PLACE = " in place";

    /** Every outcome each entry point must reach at least once, or the fuzz has lost its reach. */
    private static final Map<String, Set<String>> EXPECTED = expected();

    private static Map<String, Set<String>> expected() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put(PREPARE_TENSOR_ARRAY, Set.of(OK, NPE, IAE, IOOBE));
        m.put(PREPARE_CHANNEL_ARRAY, Set.of(OK, NPE, IAE, IOOBE));
        m.put(PREPARE_TENSOR_SEGMENT, Set.of(OK, NPE, IAE, IOOBE, ISE));
        m.put(PREPARE_CHANNEL_SEGMENT, Set.of(OK, NPE, IAE, IOOBE, ISE));
        m.put(HYBRID_BUILDER, Set.of(OK, NPE, IAE, IOOBE));
        m.put(QUANTIZED_BUILDER, Set.of(OK, NPE, IAE, IOOBE, ISE));
        m.put(HYBRID_ARRAYS, Set.of(OK, OK + IN_PLACE, NPE, IAE, IOOBE));
        m.put(HYBRID_SEGMENTS, Set.of(OK, OK + IN_PLACE, NPE, IAE, IOOBE, ISE, WTE));
        m.put(QUANTIZED_ARRAYS, Set.of(OK, NPE, IAE, IOOBE));
        m.put(QUANTIZED_SEGMENTS, Set.of(OK, OK + IN_PLACE, NPE, IAE, IOOBE, ISE, WTE));
        return m;
    }

    private final SplittableRandom random = new SplittableRandom(SEED + 30);
    /** Checked calls per "entry point outcome". */
    private final Map<String, Integer> outcomes = new TreeMap<>();

    // Fixed small layers for the eval fuzz: 9 units × 13 inputs
    private static final int UNITS = 9;
    private static final int INPUT = 13;
    /** The batch a built layer is evaluated at once to check it against its reference twin. */
    private static final int CHECK_BATCH = 3;

    // The weights of the fixed layers, and the inputs a freshly built layer is checked on.
    private byte[] w;
    private float[] scales;
    private float[] checkFloats;
    private byte[] checkBytes;

    @Test
    void everyCallMatchesTheReferenceOrThrowsADocumentedExceptionLeavingOutputsUntouched() throws Exception {
        SplittableRandom setup = new SplittableRandom(SEED + 31);
        w = LayerFixtures.weights(setup, UNITS * INPUT);
        scales = LayerFixtures.scales(setup, UNITS);
        checkFloats = LayerFixtures.floats(setup, CHECK_BATCH, INPUT);
        checkBytes = LayerFixtures.bytes(setup, CHECK_BATCH * INPUT);
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
                    case 4 -> fuzzHybridArrays(hybrid, bias);
                    case 5 -> fuzzHybridSegments(hybrid, bias, segments);
                    default -> fuzzQuantized(quantized, intBias, segments);
                }
            }
        }
        int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("[LayerFuzzTest] " + total + " checked calls, seed " + (SEED + 30) + ": " + outcomes);
        assertEquals(ITERATIONS, total, "every call is counted under exactly one outcome");
        List<String> missing = new ArrayList<>();
        EXPECTED.forEach((entry, kinds) -> new TreeSet<>(kinds).forEach(kind -> {
            if (!outcomes.containsKey(entry + " " + kind)) {
                missing.add(entry + " " + kind);
            }
        }));
        assertTrue(missing.isEmpty(), "outcomes never reached (the fuzz no longer covers them), seed " + (SEED + 30)
                + ": " + missing + "; reached: " + outcomes);
    }

    /**
     * Runs {@code call}; fails on an undocumented exception or a message-less one. Returns whether it succeeded;
     * the caller checks the result and then records the outcome with {@link #count}.
     */
    private boolean attempt(String what, Runnable call) {
        try {
            call.run();
            return true;
        } catch (Throwable t) {
            if (!DOCUMENTED.contains(t.getClass())) {
                fail(what + " threw undocumented " + t, t);
            }
            assertNotNull(t.getMessage(), what + ": " + t.getClass().getSimpleName() + " without a message");
            count(what, t.getClass().getSimpleName());
            return false;
        }
    }

    private void count(String what, String outcome) {
        outcomes.merge(what + " " + outcome, 1, Integer::sum);
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

    /** Exactly the size needed half the time, else one short or up to two extra. */
    private int slack() {
        return random.nextBoolean() ? 0 : random.nextInt(-1, 3);
    }

    private byte[] maybeBytes(long n) {
        int r = random.nextInt(8);
        if (r == 0) {
            return null;
        }
        int len = r == 1 ? random.nextInt(0, 8) : (int) Math.min(Math.max(n + slack(), 0), 4096);
        return LayerFixtures.bytes(random, len);
    }

    private float[] maybeFloats(long n) {
        int r = random.nextInt(8);
        if (r == 0) {
            return null;
        }
        int len = r == 1 ? random.nextInt(0, 8) : (int) Math.min(Math.max(n + slack(), 0), 4096);
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
                s[i] = LayerFixtures.scale(random);
            }
            if (s.length > 0 && random.nextInt(3) == 0) {
                s[random.nextInt(s.length)] = hostileScale();
            }
        }
        return s;
    }

    private void fuzzPrepareArray() {
        int rows = hostileSize();
        int cols = hostileSize();
        byte[] weights = maybeBytes((long) rows * cols);
        byte[] before = weights == null ? null : weights.clone();
        boolean perTensor = random.nextBoolean();
        float scale = hostileScale();
        float[] channelScales = perTensor ? null : maybeScales(rows);
        float[] scalesBefore = channelScales == null ? null : channelScales.clone();
        String what = perTensor ? PREPARE_TENSOR_ARRAY : PREPARE_CHANNEL_ARRAY;
        AtomicReference<PreparedWeights> made = new AtomicReference<>();
        if (attempt(what, () -> made.set(perTensor ? PreparedWeights.perTensor(weights, rows, cols, scale)
                : PreparedWeights.perChannel(weights, rows, cols, channelScales)))) {
            checkPrepared(what, made.get(), before, rows, cols, perTensor ? new float[] {scale} : scalesBefore,
                    !perTensor);
        }
        assertArrayEquals(before, weights, "weights must never be written");
        assertArrayEquals(scalesBefore, channelScales, "scales must never be written");
    }

    private void fuzzPrepareSegment(Segments segments) {
        int rows = hostileSize();
        int cols = hostileSize();
        MemorySegment weights = segments.pick(random, (long) rows * cols, 1);
        byte[] before = snapshot(weights);
        boolean perTensor = random.nextBoolean();
        float scale = hostileScale();
        float[] channelScales = perTensor ? null : maybeScales(rows);
        float[] scalesBefore = channelScales == null ? null : channelScales.clone();
        String what = perTensor ? PREPARE_TENSOR_SEGMENT : PREPARE_CHANNEL_SEGMENT;
        AtomicReference<PreparedWeights> made = new AtomicReference<>();
        if (attempt(what, () -> made.set(perTensor ? PreparedWeights.perTensor(weights, rows, cols, scale)
                : PreparedWeights.perChannel(weights, rows, cols, channelScales)))) {
            checkPrepared(what, made.get(), before, rows, cols, perTensor ? new float[] {scale} : scalesBefore,
                    !perTensor);
        }
        assertArrayEquals(before, snapshot(weights), "weights must never be written");
        assertArrayEquals(scalesBefore, channelScales, "scales must never be written");
    }

    /** Prepared weights hold exactly the given bytes and scales, with the reference's row sums. */
    private void checkPrepared(String what, PreparedWeights p, byte[] weights, int rows, int cols, float[] scales,
            boolean perChannel) {
        String where = what + " " + rows + "x" + cols;
        assertEquals(rows, p.rows(), where);
        assertEquals(cols, p.cols(), where);
        assertEquals(perChannel, p.perChannel(), where);
        assertArrayEquals(weights, p.asSegment().toArray(ValueLayout.JAVA_BYTE), where + ": weights");
        assertArrayEquals(LayerFixtures.rawBits(scales), LayerFixtures.rawBits(p.scales()), where + ": scales");
        int[] sums = new int[rows];
        PortableTensorUtils.reductionSumVector(weights, sums, rows, cols);
        assertArrayEquals(sums, p.rowSums(), where + ": row sums");
        count(what, OK);
    }

    /** Random layer options; null fields are left at their defaults. */
    private record Options(FusedActivation activation, boolean activationNull, Integer parallelism,
            Long parallelThreshold, Integer expectedBatch, Integer maxConcurrentCalls, Integer executor) {

        void apply(LayerBuilder<?> b) {
            if (activation != null || activationNull) {
                b.activation(activation);
            }
            if (parallelism != null) {
                b.parallelism(parallelism);
            }
            if (parallelThreshold != null) {
                b.parallelThreshold(parallelThreshold);
            }
            if (expectedBatch != null) {
                b.expectedBatch(expectedBatch);
            }
            if (maxConcurrentCalls != null) {
                b.maxConcurrentCalls(maxConcurrentCalls);
            }
            if (executor != null) {
                b.executor(executor == 0 ? null : LayerFixtures.POOL);
            }
        }

        FusedActivation activationOrDefault() {
            return activation != null ? activation : FusedActivation.NONE;
        }
    }

    private Options options() {
        boolean activationNull = random.nextInt(20) == 0;
        FusedActivation activation = activationNull || random.nextInt(5) == 0 ? null
                : FusedActivation.values()[random.nextInt(4)];
        Integer parallelism = random.nextInt(4) == 0 ? (random.nextInt(6) == 0 ? hostileSize() : random.nextInt(1, 5))
                : null;
        Long threshold = random.nextInt(6) == 0 ? (long) random.nextInt(-2, 3) : null;
        Integer expectedBatch = random.nextInt(6) == 0 ? hostileSize() : null;
        Integer maxConcurrentCalls = random.nextInt(6) == 0 ? hostileSize() : null;
        Integer executor = random.nextInt(8) == 0 ? random.nextInt(2) : null;
        return new Options(activation, activationNull, parallelism, threshold, expectedBatch, maxConcurrentCalls,
                executor);
    }

    private void fuzzHybridBuilder(PreparedWeights weights) {
        PreparedWeights given = random.nextInt(20) == 0 ? null : weights;
        float[] bias = maybeFloats(UNITS);
        float[] biasBefore = bias == null ? null : bias.clone();
        Options options = options();
        boolean asymmetric = random.nextBoolean();
        AtomicReference<HybridFullyConnected> made = new AtomicReference<>();
        if (attempt(HYBRID_BUILDER, () -> {
            HybridFullyConnected.Builder b = HybridFullyConnected.builder(given);
            b.bias(bias);
            options.apply(b);
            made.set(b.asymmetricInputs(asymmetric).build());
        })) {
            if (bias != null) {
                Arrays.fill(bias, Float.NaN); // the layer copied its bias: changing the array has no effect
            }
            float[] expected = LayerFixtures.paddedFloats(CHECK_BATCH * UNITS);
            float[] actual = expected.clone();
            ReferenceHybridFullyConnected.eval(checkFloats.clone(), CHECK_BATCH, INPUT, w, UNITS, 0, scales,
                    biasBefore, asymmetric, options.activationOrDefault(), expected);
            made.get().eval(checkFloats.clone(), CHECK_BATCH, actual);
            LayerFixtures.assertSameBits(expected, actual, UNITS, HYBRID_BUILDER + " " + options + " " + made.get());
            count(HYBRID_BUILDER, OK);
        }
    }

    private void fuzzQuantizedBuilder(PreparedWeights weights) {
        boolean inputSet = random.nextInt(10) != 0;
        float inputScale = hostileScale();
        int inputZeroPoint = hostileZeroPoint();
        boolean outputSet = random.nextInt(10) != 0;
        float outputScale = hostileScale();
        int outputZeroPoint = hostileZeroPoint();
        int[] bias = switch (random.nextInt(6)) {
            case 0 -> LayerFixtures.intBias(random, random.nextInt(12));
            case 1, 2 -> LayerFixtures.intBias(random, UNITS);
            default -> null;
        };
        int[] biasBefore = bias == null ? null : bias.clone();
        Rounding rounding = random.nextInt(20) == 0 ? null : Rounding.values()[random.nextInt(2)];
        // Either setter, each sometimes null: the builder must refuse null, and every choice must match the twin.
        boolean viaRounding = random.nextBoolean();
        Requantization requantization = random.nextInt(20) == 0 ? null
                : Requantization.values()[random.nextInt(Requantization.values().length)];
        Requantization chosen = viaRounding ? (rounding == null ? null : Requantization.fixedPoint(rounding))
                : requantization;
        Options options = options();
        AtomicReference<QuantizedFullyConnected> made = new AtomicReference<>();
        if (attempt(QUANTIZED_BUILDER, () -> {
            QuantizedFullyConnected.Builder b = QuantizedFullyConnected.builder(weights);
            if (inputSet) {
                b.input(inputScale, inputZeroPoint);
            }
            if (outputSet) {
                b.output(outputScale, outputZeroPoint);
            }
            b.bias(bias);
            if (viaRounding) {
                b.rounding(rounding);
            } else {
                b.requantization(requantization);
            }
            options.apply(b);
            made.set(b.build());
        })) {
            if (bias != null) {
                Arrays.fill(bias, Integer.MIN_VALUE); // the layer copied its bias
            }
            byte[] expected = LayerFixtures.paddedBytes(CHECK_BATCH * UNITS);
            byte[] actual = expected.clone();
            ReferenceQuantizedFullyConnected.eval(checkBytes.clone(), CHECK_BATCH, INPUT, inputScale, inputZeroPoint, w,
                    UNITS, Float.NaN, scales, biasBefore, outputScale, outputZeroPoint, options.activationOrDefault(),
                    chosen, expected);
            made.get().eval(checkBytes.clone(), CHECK_BATCH, actual);
            LayerFixtures.assertSameBytes(expected, actual, UNITS, QUANTIZED_BUILDER + " " + options + " "
                    + made.get());
            count(QUANTIZED_BUILDER, OK);
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

    private void fuzzHybridArrays(HybridFullyConnected layer, float[] bias) {
        int batch = hostileBatch();
        float[] input = maybeFloats((long) batch * INPUT);
        boolean inPlace = random.nextInt(10) == 0;
        float[] output = inPlace ? input : maybeFloats((long) batch * UNITS);
        float[] outputBefore = output == null ? null : output.clone();
        float[] inputBefore = input == null ? null : input.clone();
        if (attempt(HYBRID_ARRAYS, () -> layer.eval(input, batch, output))) {
            // the reference on copies, so that in place it reads the input as it was before the call
            float[] expected = outputBefore.clone();
            ReferenceHybridFullyConnected.eval(inputBefore.clone(), batch, INPUT, w, UNITS, 0, scales, bias, true,
                    FusedActivation.RELU, expected);
            LayerFixtures.assertSameBits(expected, output, UNITS, HYBRID_ARRAYS + " batch " + batch
                    + (inPlace ? IN_PLACE : ""));
            if (!inPlace) {
                assertArrayEquals(inputBefore, input, "input must not be written");
            }
            count(HYBRID_ARRAYS, inPlace ? OK + IN_PLACE : OK);
        } else {
            assertArrayEquals(outputBefore, output, "output must be untouched after a rejected call");
            assertArrayEquals(inputBefore, input, "input must be untouched after a rejected call");
        }
    }

    private void fuzzHybridSegments(HybridFullyConnected layer, float[] bias, Segments segments) {
        int batch = hostileBatch();
        MemorySegment input = segments.pick(random, (long) batch * INPUT, Float.BYTES);
        boolean inPlace = random.nextInt(10) == 0;
        MemorySegment output = inPlace ? input : segments.pick(random, (long) batch * UNITS, Float.BYTES);
        byte[] outputBefore = snapshot(output);
        byte[] inputBefore = snapshot(input);
        if (attempt(HYBRID_SEGMENTS, () -> layer.eval(input, batch, output))) {
            float[] expected = new float[batch * UNITS];
            if (batch > 0) {
                float[] in = MemorySegment.ofArray(inputBefore).asSlice(0, 4L * batch * INPUT)
                        .toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
                ReferenceHybridFullyConnected.eval(in, batch, INPUT, w, UNITS, 0, scales, bias, true,
                        FusedActivation.RELU, expected);
            }
            byte[] expectedBytes = outputBefore.clone();
            MemorySegment.copy(expected, 0, MemorySegment.ofArray(expectedBytes), ValueLayout.JAVA_FLOAT_UNALIGNED, 0,
                    expected.length);
            assertSegmentEquals(expectedBytes, output, UNITS * Float.BYTES, HYBRID_SEGMENTS + " batch " + batch
                    + (inPlace ? IN_PLACE : ""));
            if (!inPlace) {
                assertArrayEquals(inputBefore, snapshot(input), "input must not be written");
            }
            count(HYBRID_SEGMENTS, inPlace ? OK + IN_PLACE : OK);
        } else {
            assertArrayEquals(outputBefore, snapshot(output), "output must be untouched after a rejected call");
            assertArrayEquals(inputBefore, snapshot(input), "input must be untouched after a rejected call");
        }
    }

    private void fuzzQuantized(QuantizedFullyConnected layer, int[] intBias, Segments segments) {
        int batch = hostileBatch();
        if (random.nextBoolean()) {
            byte[] input = maybeBytes((long) batch * INPUT);
            byte[] output = random.nextInt(15) == 0 ? input : maybeBytes((long) batch * UNITS);
            byte[] before = output == null ? null : output.clone();
            byte[] inputBefore = input == null ? null : input.clone();
            if (attempt(QUANTIZED_ARRAYS, () -> layer.eval(input, batch, output))) {
                byte[] expected = before.clone();
                ReferenceQuantizedFullyConnected.eval(inputBefore, batch, INPUT, 0.05f, 4, w, UNITS, 0.01f, null,
                        intBias, 0.2f, -9, FusedActivation.RELU6, Rounding.DOUBLE_ROUNDING, expected);
                LayerFixtures.assertSameBytes(expected, output, UNITS, QUANTIZED_ARRAYS + " batch " + batch);
                assertArrayEquals(inputBefore, input, "input must not be written");
                count(QUANTIZED_ARRAYS, OK);
            } else {
                assertArrayEquals(before, output, "output must be untouched after a rejected call");
                assertArrayEquals(inputBefore, input, "input must be untouched after a rejected call");
            }
        } else {
            MemorySegment input = segments.pick(random, (long) batch * INPUT, 1);
            boolean inPlace = random.nextInt(10) == 0;
            MemorySegment output = inPlace ? input : segments.pick(random, (long) batch * UNITS, 1);
            byte[] before = snapshot(output);
            byte[] inputBefore = snapshot(input);
            if (attempt(QUANTIZED_SEGMENTS, () -> layer.eval(input, batch, output))) {
                byte[] expected = before.clone();
                if (batch > 0) {
                    byte[] result = new byte[batch * UNITS];
                    ReferenceQuantizedFullyConnected.eval(Arrays.copyOf(inputBefore, batch * INPUT), batch, INPUT,
                            0.05f, 4, w, UNITS, 0.01f, null, intBias, 0.2f, -9, FusedActivation.RELU6,
                            Rounding.DOUBLE_ROUNDING, result);
                    System.arraycopy(result, 0, expected, 0, result.length);
                }
                assertSegmentEquals(expected, output, UNITS, QUANTIZED_SEGMENTS + " batch " + batch
                        + (inPlace ? IN_PLACE : ""));
                if (!inPlace) {
                    assertArrayEquals(inputBefore, snapshot(input), "input must not be written");
                }
                count(QUANTIZED_SEGMENTS, inPlace ? OK + IN_PLACE : OK);
            } else {
                assertArrayEquals(before, snapshot(output), "output must be untouched after a rejected call");
                assertArrayEquals(inputBefore, snapshot(input), "input must be untouched after a rejected call");
            }
        }
    }

    /** The whole segment equals {@code expected}, with the first differing row and byte in the message. */
    private static void assertSegmentEquals(byte[] expected, MemorySegment actual, int rowBytes, String where) {
        byte[] bytes = snapshot(actual);
        int i = Arrays.mismatch(expected, bytes);
        if (i >= 0) {
            fail(where + ": byte " + i + " (row " + i / rowBytes + ") expected " + expected[i] + ", got " + bytes[i]
                    + ", seed " + SEED);
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
            MemorySegment s = switch (random.nextInt(14)) {
                case 0 -> null;
                case 1 -> closed;
                case 2 -> foreign;
                case 3 -> arena.allocate(bytes + elementBytes).asReadOnly();
                case 4 -> arena.allocate(Math.max(0, bytes - elementBytes)); // one element short
                case 5 -> MemorySegment.ofArray(new float[(int) (bytes / 4 + 3)]).asSlice(1); // unaligned heap
                case 6 -> MemorySegment.NULL;
                case 7 -> arena.allocate(Math.max(1, bytes)).asSlice(0, bytes); // exact, native
                case 8 -> MemorySegment.ofArray(new byte[(int) bytes]); // exact, heap
                default -> random.nextBoolean() ? arena.allocate(bytes + 8) : MemorySegment.ofArray(new byte[(int) bytes + 8]);
            };
            if (s != null && s.scope().isAlive() && s.isAccessibleBy(Thread.currentThread()) && !s.isReadOnly()) {
                for (long i = 0; i < s.byteSize(); i++) {
                    s.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
                }
            }
            return s;
        }
    }
}
