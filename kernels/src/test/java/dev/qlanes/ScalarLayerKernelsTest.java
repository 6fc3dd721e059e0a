package dev.qlanes;

import static dev.qlanes.LayerFixtures.SEED;
import static dev.qlanes.LayerFixtures.SMALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qlanes.LayerFixtures.HybridCase;
import dev.qlanes.LayerFixtures.Memory;
import dev.qlanes.LayerFixtures.QuantizedCase;
import dev.qlanes.LayerFixtures.WeightsSource;
import dev.qlanes.internal.KernelProvider;
import dev.qlanes.internal.ScalarLayerKernels;
import dev.qlanes.reference.FusedActivation;
import dev.qlanes.reference.Rounding;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scalar layer kernels ({@link ScalarLayerKernels}, the fallback when the Vector API cannot be used) equal the
 * reference twins bit for bit in every fork, the vector forks included: layers and weights are built inside
 * {@link KernelProvider#buildWith}, so they run the scalar kernels whatever dispatch picked. Without this,
 * the scalar kernels were only checked in the -Xint and no-vector-module forks, and then only at small scale.
 */
class ScalarLayerKernelsTest {
    private static final int CASES = SMALL ? 3 : 10;

    private static <T> T scalar(java.util.function.Supplier<T> build) {
        return KernelProvider.buildWith(new ScalarLayerKernels(), build);
    }

    @Test
    void layersOnTheScalarKernelsEqualTheReference() {
        SplittableRandom random = new SplittableRandom(SEED + 50);
        int hybridChecked = 0;
        int quantizedChecked = 0;
        try (Arena arena = Arena.ofShared()) {
            for (int i = 0; i < CASES; i++) {
                FusedActivation activation = FusedActivation.values()[i % FusedActivation.values().length];
                WeightsSource source = WeightsSource.values()[i % WeightsSource.values().length];
                int threads = i % 2 == 0 ? 1 : 3;
                HybridCase h = HybridCase.random(random, i % 3 == 0, i % 2 == 1, activation);
                PreparedWeights hw = scalar(() -> h.prepare(source, arena));
                HybridFullyConnected hybrid = scalar(() -> h.layer(hw, threads));
                assertScalar(hybrid.toString());
                float[] expected = h.expected();
                for (Memory memory : new Memory[] {Memory.ARRAY, Memory.NATIVE_SEGMENT}) {
                    LayerFixtures.assertSameBits(expected, h.run(hybrid, memory, arena), h.units(),
                            "scalar kernels, " + h + ", weights " + source + ", " + memory + ", " + threads + " threads");
                    hybridChecked++;
                }
                QuantizedCase q = QuantizedCase.random(random, i % 3 == 1, Rounding.values()[i % 2], activation);
                PreparedWeights qw = scalar(() -> q.prepare(source, arena));
                QuantizedFullyConnected quantized = scalar(() -> q.layer(qw, threads));
                assertScalar(quantized.toString());
                byte[] expectedBytes = q.expected();
                for (Memory memory : new Memory[] {Memory.ARRAY, Memory.NATIVE_SEGMENT}) {
                    LayerFixtures.assertSameBytes(expectedBytes, q.run(quantized, memory, arena), q.units(),
                            "scalar kernels, " + q + ", weights " + source + ", " + memory + ", " + threads + " threads");
                    quantizedChecked++;
                }
            }
        }
        assertEquals(2 * CASES, hybridChecked);
        assertEquals(2 * CASES, quantizedChecked);
    }

    /** A layer built outside {@code buildWith} runs what dispatch picked: the vector kernels in the vector forks. */
    @Test
    void onlyLayersBuiltInsideBuildWithRunTheScalarKernels() {
        PreparedWeights w = PreparedWeights.perTensor(new byte[] {1, 2, 3, 4}, 2, 2, 0.5f);
        String dispatched = HybridFullyConnected.builder(w).build().toString();
        assertEquals(ForkExpectation.expectsVector(), dispatched.contains("vector"), dispatched);
        assertScalar(scalar(() -> HybridFullyConnected.builder(w).build()).toString());
        System.out.println("[ScalarLayerKernelsTest] scalar layer kernels compared with the reference; dispatched "
                + "layers here: " + dispatched);
    }

    private static void assertScalar(String layer) {
        assertTrue(layer.endsWith(", reference]"), "expected the scalar kernels: " + layer);
    }
}
