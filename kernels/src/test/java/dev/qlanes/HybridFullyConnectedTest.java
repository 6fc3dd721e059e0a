package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static dev.qlanes.LayerFixtures.SMALL;
import static dev.qlanes.LayerFixtures.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.qlanes.LayerFixtures.HybridCase;
import dev.qlanes.LayerFixtures.Memory;
import dev.qlanes.LayerFixtures.WeightsSource;
import dev.qlanes.reference.FusedActivation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link HybridFullyConnected} equals {@code ReferenceHybridFullyConnected.eval} bit for bit: random shapes
 * around the kernels' tiles, every activation, per-tensor and per-channel scales, symmetric and asymmetric
 * inputs, weights as arrays, heap segments and native segments, activations as arrays and heap/native segments,
 * on 1 and 4 threads; plus TFLite's edge cases (all-zero input, -0.0 bias, no columns, NaN activations).
 */
class HybridFullyConnectedTest {
    private static final int CASES_PER_CONFIG = SMALL ? 2 : 8;

    @ParameterizedTest
    @EnumSource(FusedActivation.class)
    void equalsReferenceBitForBit(FusedActivation activation) {
        SplittableRandom random = new SplittableRandom(SEED ^ activation.ordinal());
        int checked = 0;
        int sources = 0;
        try (Arena arena = Arena.ofShared()) {
            for (boolean perChannel : new boolean[] {false, true}) {
                for (boolean asymmetric : new boolean[] {false, true}) {
                    for (int i = 0; i < CASES_PER_CONFIG; i++) {
                        HybridCase c = HybridCase.random(random, perChannel, asymmetric, activation);
                        float[] expected = c.expected();
                        WeightsSource source = WeightsSource.values()[sources++ % WeightsSource.values().length];
                        PreparedWeights w = c.prepare(source, arena);
                        for (int threads : new int[] {1, 4}) {
                            HybridFullyConnected layer = c.layer(w, threads);
                            for (Memory memory : Memory.values()) {
                                assertSameBits(expected, c.run(layer, memory, arena), c.units(),
                                        c + ", weights " + source + ", " + memory + ", " + threads + " threads");
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(4 * CASES_PER_CONFIG * 2 * 3, checked);
    }

    @Test
    void deepAndWideShapesSplitAcrossThreads() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        // {6, 100, 8192}: one thread takes 100 rows in ranges of 32 (LayerCall.CACHED_WEIGHT_BYTES / 8192), tiles and all
        int[][] shapes = SMALL ? new int[][] {{2, 70, 300}}
                : new int[][] {{1, 1000, 513}, {3, 257, 4099}, {9, 40, 80}, {6, 100, 8192}};
        try (Arena arena = Arena.ofShared()) {
            for (int[] s : shapes) {
                HybridCase c = new HybridCase(s[0], s[1], s[2], LayerFixtures.weights(random, s[1] * s[2]), 0.01f,
                        LayerFixtures.scales(random, s[1]), LayerFixtures.bias(random, s[1]), true,
                        FusedActivation.RELU6, LayerFixtures.floats(random, s[0], s[2]));
                float[] expected = c.expected();
                for (WeightsSource source : WeightsSource.values()) {
                    PreparedWeights w = c.prepare(source, arena);
                    for (int threads : new int[] {1, 2, 3, 4}) {
                        assertSameBits(expected, c.run(c.layer(w, threads), Memory.ARRAY, arena), c.units(),
                                c + ", " + source + ", " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void tfliteEdgeCases() {
        try (Arena arena = Arena.ofConfined()) {
            byte[] w = {1, -2, 3, -128, 127, 0};
            float[] negativeZeroBias = {-0.0f, 2.5f};
            float nan = Float.NaN;
            float[][] inputs = {
                {0.0f, -0.0f, 0.0f, 0.0f, 0.0f, 0.0f},            // all-zero tensor: act(bias), -0.0 kept
                {0.0f, 0.0f, 0.0f, 1.0f, -2.0f, 3.0f},            // one zero row: 0.0 + -0.0 becomes +0.0
                {nan, 1.0f, 2.0f, Float.POSITIVE_INFINITY, -1.0f, 0.5f},
                {Float.MIN_VALUE, -Float.MIN_VALUE, 0.0f, 1e-40f, 0.0f, 0.0f},
            };
            for (float[] input : inputs) {
                for (FusedActivation activation : FusedActivation.values()) {
                    for (boolean asymmetric : new boolean[] {false, true}) {
                        for (float[] bias : new float[][] {null, negativeZeroBias}) {
                            HybridCase c = new HybridCase(2, 2, 3, w, 0.5f, null, bias, asymmetric, activation, input);
                            float[] expected = c.expected();
                            for (Memory memory : Memory.values()) {
                                assertSameBits(expected, c.run(c.layer(c.prepare(WeightsSource.ARRAY, arena), 1),
                                        memory, arena), 2, c + " " + memory);
                            }
                        }
                    }
                }
            }
            // No columns: TFLite zero-fills, bias ignored
            HybridCase empty = new HybridCase(2, 3, 0, new byte[0], 1.0f, null, new float[] {1, 2, 3}, false,
                    FusedActivation.NONE, new float[0]);
            assertSameBits(empty.expected(), empty.run(empty.layer(empty.prepare(WeightsSource.ARRAY, arena), 1),
                    Memory.ARRAY, arena), 3, "no columns");
        }
    }

    @Test
    void inputAndOutputMayBeTheSameArrayOrOverlappingSegments() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        byte[] w = LayerFixtures.weights(random, 16 * 16);
        float[] input = LayerFixtures.floats(random, 3, 16);
        input[0] = 1.0f;
        HybridCase c = new HybridCase(3, 16, 16, w, 0.1f, null, null, true, FusedActivation.NONE, input);
        float[] expected = c.expected();
        HybridFullyConnected layer = c.layer(PreparedWeights.perTensor(w, 16, 16, 0.1f), 4);
        float[] inPlace = input.clone();
        layer.eval(inPlace, 3, inPlace);
        assertArrayEquals(java.util.Arrays.copyOf(expected, 48), inPlace);
        MemorySegment overlapping = MemorySegment.ofArray(input.clone());
        layer.eval(overlapping, 3, overlapping);
        assertArrayEquals(java.util.Arrays.copyOf(expected, 48), overlapping.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT));
    }

    @Test
    void emptyShapesWithHugeBatchesReturnAtOnce() {
        for (int[] shape : new int[][] {{0, 0}, {0, 5}, {3, 0}}) {
            PreparedWeights w = PreparedWeights.perTensor(new byte[shape[0] * shape[1]], shape[0], shape[1], 1);
            HybridFullyConnected hybrid = HybridFullyConnected.builder(w).parallelism(4).executor(LayerFixtures.POOL)
                    .parallelThreshold(1).build();
            QuantizedFullyConnected quantized = QuantizedFullyConnected.builder(w).input(1, 0).output(1, 0)
                    .parallelism(4).executor(LayerFixtures.POOL).parallelThreshold(1).build();
            int batch = shape[0] == 0 ? Integer.MAX_VALUE : 2; // units == 0: any batch fits empty outputs
            if (shape[1] == 0 && shape[0] == 0) {
                hybrid.eval(new float[0], batch, new float[0]);
                quantized.eval(new byte[0], batch, new byte[1]);
                hybrid.eval(MemorySegment.NULL, batch, MemorySegment.ofArray(new byte[0]));
                quantized.eval(MemorySegment.NULL, batch, MemorySegment.ofArray(new byte[0]));
            } else if (shape[0] == 0) {
                org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                        () -> hybrid.eval(new float[0], Integer.MAX_VALUE, new float[0]));
                hybrid.eval(new float[10], 2, new float[0]);
                quantized.eval(new byte[10], 2, new byte[0]);
            } else {
                float[] out = {7, 7, 7, 7, 7, 7, 7};
                hybrid.eval(new float[0], 2, out);
                assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 7}, out, "no columns: zeros");
                byte[] bout = new byte[6];
                quantized.eval(new byte[0], 2, bout);
                assertArrayEquals(new byte[6], bout, "no columns: bias 0 requantized to the zero point 0");
            }
        }
        PreparedWeights w = PreparedWeights.perTensor(new byte[6], 2, 3, 1);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HybridFullyConnected.builder(w).expectedBatch(Integer.MAX_VALUE).build());
    }

    @Test
    void accessorsDescribeTheLayer() {
        PreparedWeights w = PreparedWeights.perChannel(new byte[6], 2, 3, new float[] {1, 2});
        HybridFullyConnected layer = HybridFullyConnected.builder(w).activation(FusedActivation.RELU)
                .asymmetricInputs(true).parallelism(3).build();
        assertEquals(2, layer.units());
        assertEquals(3, layer.inputSize());
        assertEquals(FusedActivation.RELU, layer.activation());
        assertEquals(3, layer.parallelism());
        assertNull(layer.bias());
        assertEquals(w, layer.weights());
        org.junit.jupiter.api.Assertions.assertTrue(layer.asymmetricInputs());
        org.junit.jupiter.api.Assertions.assertTrue(layer.toString().contains("per-channel"), layer.toString());
    }
}
