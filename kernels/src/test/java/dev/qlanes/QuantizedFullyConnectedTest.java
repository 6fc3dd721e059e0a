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
import dev.qlanes.reference.Requantization;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link QuantizedFullyConnected} equals {@code ReferenceQuantizedFullyConnected} (and through it
 * {@code ReferenceIntegerOps}) bit for bit: random shapes, every activation, all three {@link Requantization}s
 * (fixed point in both roundings, TFLite's 2025 double-float reference), per-tensor and per-channel weights,
 * input/output zero points, int32 bias extremes (wrapping), scales that make exact ties, products beyond int32,
 * weights and activations in arrays, heap and native segments, 1 and 4 threads; and its parameters are TFLite's.
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
                for (Requantization requantization : Requantization.values()) {
                    for (int i = 0; i < CASES_PER_CONFIG; i++) {
                        QuantizedCase c = QuantizedCase.random(random, perChannel, requantization, activation);
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
        assertEquals(2 * 3 * CASES_PER_CONFIG * 2 * 3, checked);
    }

    /**
     * Layers of a few units at batch 1 take the kernels' single-row kernel ({@code LayerKernels.int8Row}) where there
     * is one, and equal the reference through it, from every weights source and memory, with every activation, per
     * tensor and per channel, and output scales that give positive shifts too; batch 2 of the same layers takes the
     * general path. Four units over 128 inputs fit every width's kernel, so a vectorized JVM must take it there.
     */
    @Test
    void fewUnitsAtBatchOneTakeTheSingleRowKernelAndEqualReference() {
        SplittableRandom random = new SplittableRandom(SEED ^ 0x51A6L);
        boolean vectorized = dev.qlanes.internal.KernelProvider.layerKernels().vectorized();
        int taken = 0;
        try (Arena arena = Arena.ofShared()) {
            for (int units = 1; units <= 9; units++) {
                for (int inputSize : new int[] {128, 131, 200}) {
                    for (int batch : new int[] {1, 2}) {
                        boolean perChannel = random.nextBoolean();
                        FusedActivation activation = FusedActivation.values()[random.nextInt(FusedActivation.values().length)];
                        QuantizedCase c = new QuantizedCase(batch, units, inputSize,
                                LayerFixtures.weights(random, units * inputSize), LayerFixtures.scale(random),
                                random.nextInt(-128, 128), LayerFixtures.scale(random) / 10,
                                perChannel ? LayerFixtures.scales(random, units) : null,
                                LayerFixtures.intBias(random, units), (float) Math.pow(10, -4 + 5 * random.nextDouble()),
                                random.nextInt(-128, 128), activation, Rounding.DOUBLE_ROUNDING,
                                LayerFixtures.bytes(random, batch * inputSize));
                        byte[] expected = c.expected();
                        for (WeightsSource source : WeightsSource.values()) {
                            QuantizedFullyConnected layer = c.layer(c.prepare(source, arena), 1);
                            if (layer.takesSingleRowKernel()) {
                                taken++;
                            } else if (vectorized && units <= 4 && inputSize == 128) {
                                throw new AssertionError(c + ": no single-row kernel");
                            }
                            for (Memory memory : Memory.values()) {
                                assertSameBytes(expected, c.run(layer, memory, arena), units,
                                        c + ", weights " + source + ", " + memory);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(vectorized, taken > 0, "layers that took the single-row kernel: " + taken);
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
            for (Requantization requantization : Requantization.values()) {
                QuantizedCase c = new QuantizedCase(1, 3, cols, w, 0.02f, 0, 0.01f, null, new int[] {0, 1 << 30, -5},
                        0.5f, 3, FusedActivation.NONE, requantization, input);
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
        assertEquals(Requantization.FIXED_POINT_DOUBLE_ROUNDING, p.requantization());

        // The float form: eff = (double) is · (double) fs / (double) os, per channel and per tensor alike
        QuantizedFullyConnectedParameters c = QuantizedFullyConnected.builder(perChannel).input(is, -7).output(os, 12)
                .requantization(Requantization.DOUBLE_FLOAT).build().parameters();
        assertEquals(Requantization.DOUBLE_FLOAT, c.requantization());
        for (int u = 0; u < 3; u++) {
            assertEquals(FullyConnectedQuantization.effectiveScale(is, fs[u], os), c.effectiveScale(u), "eff " + u);
        }
        QuantizedFullyConnectedParameters t = QuantizedFullyConnected.builder(perTensor).input(is, 0).output(os, 0)
                .requantization(Requantization.DOUBLE_FLOAT).build().parameters();
        assertEquals((double) is * (double) 0.0021f / (double) os, t.effectiveScale(0));
        // the last setter wins
        assertEquals(Requantization.FIXED_POINT_SINGLE_ROUNDING, QuantizedFullyConnected.builder(perTensor)
                .input(is, 0).output(os, 0).requantization(Requantization.DOUBLE_FLOAT)
                .rounding(Rounding.SINGLE_ROUNDING).build().parameters().requantization());
        assertEquals(Requantization.DOUBLE_FLOAT, QuantizedFullyConnected.builder(perTensor).input(is, 0)
                .output(os, 0).rounding(Rounding.SINGLE_ROUNDING).requantization(Requantization.DOUBLE_FLOAT).build()
                .parameters().requantization());
    }

    /**
     * One unit per accumulator {3, −244, −4, 11} (zero weights; the bias is the accumulator), scales 0.5 · 0.25 / 1
     * = 0.125 exactly, so only the roundings decide: 0.375, −30.5, −0.5, 1.375 become {1, −31, −1, 2} in double
     * rounding, {0, −30, 0, 1} in single rounding, {0, −31, −1, 1} in double float. A mix-up fails here.
     */
    @Test
    void theThreeRequantizationsDisagreeAndTheLayerFollowsEach() {
        byte[][] expected = {{1, -31, -1, 2}, {0, -30, 0, 1}, {0, -31, -1, 1}};
        try (Arena arena = Arena.ofShared()) {
            for (Requantization requantization : Requantization.values()) {
                for (boolean perChannel : new boolean[] {false, true}) {
                    QuantizedCase c = new QuantizedCase(1, 4, 1, new byte[4], 0.5f, 0, 0.25f,
                            perChannel ? new float[] {0.25f, 0.25f, 0.25f, 0.25f} : null, new int[] {3, -244, -4, 11},
                            1.0f, 0, FusedActivation.NONE, requantization, new byte[] {9});
                    byte[] want = java.util.Arrays.copyOf(expected[requantization.ordinal()], 4 + LayerFixtures.PADDING);
                    java.util.Arrays.fill(want, 4, want.length, LayerFixtures.BYTE_CANARY);
                    assertArrayEquals(want, c.expected(), "reference " + c);
                    for (WeightsSource source : WeightsSource.values()) {
                        for (int threads : new int[] {1, 4}) {
                            for (Memory memory : Memory.values()) {
                                assertSameBytes(want, c.run(c.layer(c.prepare(source, arena), threads), memory, arena),
                                        4, c + " " + source + " " + threads + " threads " + memory);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The float requantization where it is delicate, through the layer: power-of-two scales (ties in every lane:
     * effective scales 2^-12 .. 2^6), accumulators pushed towards and beyond ±2^31 by the bias (x86-64's
     * {@code INT32_MIN}, then the output offset wraps), every shape of the fixtures (vector tails), batches, zero
     * points, activations, with and without bias, per tensor and per channel, 1 and 4 threads.
     */
    @Test
    void doubleFloatTiesAndInt32LimitsEqualReference() {
        SplittableRandom random = new SplittableRandom(SEED + 17);
        int checked = 0;
        int ties = 0;
        int beyondInt32 = 0;
        try (Arena arena = Arena.ofShared()) {
            for (int i = 0; i < (SMALL ? 12 : 60); i++) {
                int units = LayerFixtures.pick(random, LayerFixtures.UNITS);
                int inputSize = LayerFixtures.pick(random, LayerFixtures.INPUT_SIZES);
                int batch = LayerFixtures.pick(random, LayerFixtures.BATCHES);
                boolean perChannel = (i & 1) == 1;
                float inputScale = LayerFixtures.powerOfTwo(random, -3, 0);
                float outputScale = LayerFixtures.powerOfTwo(random, -6, 3);
                float filterScale = LayerFixtures.powerOfTwo(random, -6, 0);
                float[] scales = null;
                if (perChannel) {
                    scales = new float[units];
                    for (int u = 0; u < units; u++) {
                        scales[u] = LayerFixtures.powerOfTwo(random, -6, 0);
                    }
                }
                int[] bias = null;
                if (i % 3 != 0) {
                    bias = new int[units];
                    for (int u = 0; u < units; u++) {
                        bias[u] = switch (random.nextInt(4)) {
                            case 0 -> random.nextInt(-1000, 1000);
                            case 1 -> random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(1 << 20)
                                    : Integer.MIN_VALUE + random.nextInt(1 << 20);
                            case 2 -> random.nextInt(1 << 24, 1 << 29) * (random.nextBoolean() ? 1 : -1);
                            default -> random.nextInt();
                        };
                    }
                }
                FusedActivation activation = FusedActivation.values()[i % FusedActivation.values().length];
                QuantizedCase c = new QuantizedCase(batch, units, inputSize,
                        LayerFixtures.weights(random, units * inputSize), inputScale, random.nextInt(-128, 128),
                        // output zero point 0 in a quarter: there a positive product beyond int32 gives −128
                        // (x86's INT32_MIN), where a saturating conversion would give 127
                        filterScale, scales, bias, outputScale, i % 4 == 0 ? 0 : random.nextInt(-128, 128), activation,
                        Requantization.DOUBLE_FLOAT, LayerFixtures.bytes(random, batch * inputSize));
                byte[] expected = c.expected();
                ties += count(c, true);
                beyondInt32 += count(c, false);
                WeightsSource source = WeightsSource.values()[i % WeightsSource.values().length];
                PreparedWeights w = c.prepare(source, arena);
                for (int threads : new int[] {1, 4}) {
                    Memory memory = Memory.values()[(i + threads) % Memory.values().length];
                    assertSameBytes(expected, c.run(c.layer(w, threads), memory, arena), units,
                            c + ", weights " + source + ", " + memory + ", " + threads + " threads");
                    checked++;
                }
            }
        }
        assertEquals((SMALL ? 12 : 60) * 2, checked);
        System.out.println("[QuantizedFullyConnectedTest] double float: " + ties + " ties, " + beyondInt32
                + " products beyond int32");
        org.junit.jupiter.api.Assertions.assertTrue(ties > (SMALL ? 5 : 100), "exact ties exercised: " + ties);
        org.junit.jupiter.api.Assertions.assertTrue(beyondInt32 > (SMALL ? 5 : 50),
                "products beyond int32 exercised: " + beyondInt32);
    }

    /** Counts, over the case's outputs, exact ties ({@code ties}) or products whose rounding leaves int32. */
    private static int count(QuantizedCase c, boolean ties) {
        int count = 0;
        for (int b = 0; b < c.batch(); b++) {
            for (int u = 0; u < c.units(); u++) {
                int acc = c.bias() == null ? 0 : c.bias()[u];
                for (int k = 0; k < c.inputSize(); k++) {
                    acc += c.weights()[u * c.inputSize() + k] * (c.input()[b * c.inputSize() + k] - c.inputZeroPoint());
                }
                double eff = FullyConnectedQuantization.effectiveScale(c.inputScale(),
                        c.perChannel() == null ? c.filterScale() : c.perChannel()[u], c.outputScale());
                double product = (double) acc * eff;
                if (ties ? Math.abs(product - Math.rint(product)) == 0.5 : Math.abs(product) >= 0x1p31 - 0.5) {
                    count++;
                }
            }
        }
        return count;
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
        // 1e10 needs shift 34 in a double-rounding build (TFLite leaves it unusable); single rounding saturates;
        // the float form has no shift at all
        QuantizedFullyConnected.Builder huge = QuantizedFullyConnected.builder(w).input(1e5f, 0).output(1e-5f, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, huge::build);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("shift 34"), e.getMessage());
        QuantizedFullyConnectedParameters saturated = huge.rounding(Rounding.SINGLE_ROUNDING).build().parameters();
        assertEquals(Integer.MAX_VALUE, saturated.multiplier(0));
        assertEquals(30, saturated.shift(0));
        QuantizedFullyConnected hugeFloat = huge.requantization(Requantization.DOUBLE_FLOAT).build();
        assertEquals((double) 1e5f / (double) 1e-5f, hugeFloat.parameters().effectiveScale(0));
        assertThrows(NullPointerException.class, () -> QuantizedFullyConnected.builder(w).requantization(null));
        assertThrows(NullPointerException.class, () -> QuantizedFullyConnected.builder(w).rounding(null));
        // an output scale so small that RELU6's upper clamp overflows int32 (x86 gives INT32_MIN)
        assertThrows(IllegalArgumentException.class, () -> QuantizedFullyConnected.builder(w).input(1e-30f, 0)
                .output(1e-30f, 0).activation(FusedActivation.RELU6).build());
        assertThrows(IndexOutOfBoundsException.class, () -> QuantizedFullyConnected.builder(w).bias(new int[3]));
    }
}
