package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static dev.qlanes.LayerFixtures.SMALL;
import static dev.qlanes.LayerFixtures.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qlanes.LayerFixtures.Memory;
import dev.qlanes.LayerFixtures.QuantizedCase;
import dev.qlanes.LayerFixtures.WeightsSource;
import dev.qlanes.reference.FullyConnectedQuantization;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.QuantizedFullyConnectedParameters;
import dev.qlanes.reference.QuantizedMultiplier;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link QuantizedFullyConnected} equals {@code ReferenceQuantizedFullyConnected} (and through it
 * {@code ReferenceIntegerOps}) bit for bit: random shapes, every activation, both roundings, per-tensor and
 * per-channel weights, input/output zero points, int32 bias extremes (wrapping), weights and activations in
 * arrays, heap and native segments, 1 and 4 threads; and its parameters are TFLite's {@code Prepare}'s.
 */
class QuantizedFullyConnectedTest {
    private static final int CASES_PER_CONFIG = SMALL ? 2 : 6;

    @ParameterizedTest
    @EnumSource(FusedActivation.class)
    void equalsReferenceBitForBit(FusedActivation activation) {
        SplittableRandom random = new SplittableRandom(SEED ^ (31L * activation.ordinal()));
        int checked = 0;
        int sources = 0;
        try (Arena arena = Arena.ofShared()) {
            for (boolean perChannel : new boolean[] {false, true}) {
                for (Rounding rounding : Rounding.values()) {
                    for (int i = 0; i < CASES_PER_CONFIG; i++) {
                        QuantizedCase c = QuantizedCase.random(random, perChannel, rounding, activation);
                        byte[] expected = c.expected();
                        WeightsSource source = WeightsSource.values()[sources++ % WeightsSource.values().length];
                        PreparedWeights w = c.prepare(source, arena);
                        for (int threads : new int[] {1, 4}) {
                            QuantizedFullyConnected layer = c.layer(w, threads);
                            for (Memory memory : Memory.values()) {
                                assertSameBytes(expected, c.run(layer, memory, arena), c.units(),
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
    void accumulatorsThatWrapInt32() {
        // 140 000 columns of (-128)·(-128) = 2 293 760 000 > 2^31: the int32 sum wraps, in both tiers alike
        int cols = SMALL ? 300 : 140_000;
        byte[] w = new byte[3 * cols];
        java.util.Arrays.fill(w, Byte.MIN_VALUE);
        byte[] input = new byte[cols];
        java.util.Arrays.fill(input, Byte.MIN_VALUE);
        try (Arena arena = Arena.ofShared()) {
            for (Rounding rounding : Rounding.values()) {
                QuantizedCase c = new QuantizedCase(1, 3, cols, w, 0.02f, 0, 0.01f, null, new int[] {0, 1 << 30, -5},
                        0.5f, 3, FusedActivation.NONE, rounding, input);
                for (WeightsSource source : WeightsSource.values()) {
                    for (int threads : new int[] {1, 4}) {
                        assertSameBytes(c.expected(), c.run(c.layer(c.prepare(source, arena), threads), Memory.ARRAY,
                                arena), 3, c + " " + source);
                    }
                }
            }
        }
    }

    @Test
    void parametersAreThoseOfTflitePrepare() {
        float is = 0.0173f;
        float os = 0.0911f;
        float[] fs = {0.0021f, 0.5f, 3e-7f};
        PreparedWeights perChannel = PreparedWeights.perChannel(new byte[3 * 4], 3, 4, fs);
        for (Rounding rounding : Rounding.values()) {
            QuantizedFullyConnected layer = QuantizedFullyConnected.builder(perChannel).input(is, -7).output(os, 12)
                    .activation(FusedActivation.RELU6).rounding(rounding).build();
            QuantizedFullyConnectedParameters p = layer.parameters();
            for (int c = 0; c < 3; c++) {
                QuantizedMultiplier q = QuantizedMultiplier.of(
                        FullyConnectedQuantization.realMultiplierPerChannel(is, fs[c], os), rounding);
                assertEquals(q.multiplier(), p.multiplier(c), "multiplier " + c);
                assertEquals(q.shift(), p.shift(c), "shift " + c);
            }
            FullyConnectedQuantization.ActivationRange range =
                    FullyConnectedQuantization.activationRange(FusedActivation.RELU6, os, 12, -128, 127);
            assertEquals(range.min(), p.activationMin());
            assertEquals(range.max(), p.activationMax());
            assertEquals(7, p.inputOffset());
            assertEquals(12, p.outputOffset());
            assertEquals(rounding, p.rounding());
        }
        PreparedWeights perTensor = PreparedWeights.perTensor(new byte[3 * 4], 3, 4, 0.0021f);
        QuantizedFullyConnectedParameters p = QuantizedFullyConnected.builder(perTensor).input(is, 0).output(os, 0)
                .build().parameters();
        QuantizedMultiplier q = QuantizedMultiplier.of(FullyConnectedQuantization.realMultiplier(is, 0.0021f, os));
        assertEquals(q.multiplier(), p.multiplier(0));
        assertEquals(q.shift(), p.shift(0));
        assertEquals(1, p.channels());
    }

    @Test
    void segmentsMayOverlapButArraysMustBeDistinct() {
        SplittableRandom random = new SplittableRandom(SEED + 3);
        byte[] w = LayerFixtures.weights(random, 20 * 20);
        byte[] input = LayerFixtures.bytes(random, 2 * 20);
        QuantizedCase c = new QuantizedCase(2, 20, 20, w, 0.05f, 3, 0.01f, null, null, 0.1f, -4,
                FusedActivation.NONE, Rounding.DOUBLE_ROUNDING, input);
        byte[] expected = java.util.Arrays.copyOf(c.expected(), 40);
        QuantizedFullyConnected layer = c.layer(PreparedWeights.perTensor(w, 20, 20, 0.01f), 4);
        MemorySegment same = MemorySegment.ofArray(input.clone());
        layer.eval(same, 2, same);
        assertArrayEquals(expected, same.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        byte[] array = input.clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layer.eval(array, 2, array));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("same array"), e.getMessage());
        assertArrayEquals(input, array, "untouched");
    }

    @Test
    void buildRejectsUnrepresentableParameters() {
        PreparedWeights w = PreparedWeights.perTensor(new byte[4], 2, 2, 1.0f);
        assertThrows(IllegalStateException.class, () -> QuantizedFullyConnected.builder(w).output(1, 0).build());
        assertThrows(IllegalStateException.class, () -> QuantizedFullyConnected.builder(w).input(1, 0).build());
        assertThrows(IllegalArgumentException.class,
                () -> QuantizedFullyConnected.builder(w).input(0.0f, 0).output(1, 0).build());
        assertThrows(IllegalArgumentException.class,
                () -> QuantizedFullyConnected.builder(w).input(1, 128).output(1, 0).build());
        // 1e10 needs shift 34 in a double-rounding build (TFLite leaves it unusable); single rounding saturates
        QuantizedFullyConnected.Builder huge = QuantizedFullyConnected.builder(w).input(1e5f, 0).output(1e-5f, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, huge::build);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("shift 34"), e.getMessage());
        QuantizedFullyConnectedParameters saturated = huge.rounding(Rounding.SINGLE_ROUNDING).build().parameters();
        assertEquals(Integer.MAX_VALUE, saturated.multiplier(0));
        assertEquals(30, saturated.shift(0));
        // an output scale so small that RELU6's upper clamp overflows int32 (x86 gives INT32_MIN)
        assertThrows(IllegalArgumentException.class, () -> QuantizedFullyConnected.builder(w).input(1e-30f, 0)
                .output(1e-30f, 0).activation(FusedActivation.RELU6).build());
        assertThrows(IndexOutOfBoundsException.class, () -> QuantizedFullyConnected.builder(w).bias(new int[3]));
    }
}
