package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The two-thread floor must do the whole layer's work: each half's output is checked against the reference twins
 * of the whole layer, and the in-step call must not return before its partner finished the other half (a floor
 * that skipped or overlapped that work would understate the bound).
 */
class ThreadFloorBenchmarkTest {

    private static ThreadFloorBenchmark.Halves halves(String shape) {
        ThreadFloorBenchmark.Halves layers = new ThreadFloorBenchmark.Halves();
        layers.layerShape = shape;
        layers.setUp();
        return layers;
    }

    private static void clear(ThreadFloorBenchmark.Halves layers) {
        for (int h = 0; h < 2; h++) {
            Arrays.fill(layers.floatOutput[h], Float.NaN);
            Arrays.fill(layers.int8Output[h], (byte) 0x55);
        }
    }

    @Test
    void inStepCallsComputeBothHalvesBeforeReturning() throws InterruptedException {
        ThreadFloorBenchmark bench = new ThreadFloorBenchmark();
        ThreadFloorBenchmark.Halves layers = halves("3x96x80");
        ThreadFloorBenchmark.Partner partner = new ThreadFloorBenchmark.Partner();
        partner.start(layers);
        try {
            for (int call = 0; call < 50; call++) {
                clear(layers);
                bench.hybridHalvesInStep(layers, partner);
                bench.quantizedHalvesInStep(layers, partner);
                layers.check();
            }
        } finally {
            partner.stop();
        }
    }

    @Test
    void checkTripsWhenAHalfIsMissing() {
        ThreadFloorBenchmark.Halves layers = halves("2x64x48");
        clear(layers);
        layers.hybridHalf(0);
        layers.quantizedHalf(0);
        assertThrows(IllegalStateException.class, layers::check);
    }

    @Test
    void oddRowCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> halves("1x63x32"));
    }
}
