package dev.qlanes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qlanes.reference.Rounding;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When a call stays on the calling thread, as the README and {@link LayerBuilder#parallelThreshold(long)} state it:
 * below twice the threshold (in {@code batch × units × inputSize} multiply-adds), or when the call cannot be cut
 * (batch 1 and at most 16 units, one row range), no helper task is submitted; at twice the threshold one is.
 */
class ParallelThresholdTest {
    private static final int INPUT = 32;

    /** Helper tasks submitted by one call of a fresh layer, each hybrid and full-integer. */
    private static int[] helpersSubmitted(int units, int batch, long threshold) throws InterruptedException {
        Thread.sleep(2); // no helper of an earlier call still spinning for work (they spin 50 µs)
        SplittableRandom random = new SplittableRandom(LayerFixtures.SEED + 70);
        PreparedWeights w = PreparedWeights.perTensor(LayerFixtures.weights(random, units * INPUT), units, INPUT, 0.01f);
        AtomicInteger hybridTasks = new AtomicInteger();
        AtomicInteger quantizedTasks = new AtomicInteger();
        Executor countHybrid = task -> {
            hybridTasks.incrementAndGet();
            task.run();
        };
        Executor countQuantized = task -> {
            quantizedTasks.incrementAndGet();
            task.run();
        };
        float[] in = LayerFixtures.floats(random, batch, INPUT);
        in[0] = 1.0f;
        HybridFullyConnected.builder(w).parallelism(4).executor(countHybrid).parallelThreshold(threshold).build()
                .eval(in, batch, new float[batch * units]);
        QuantizedFullyConnected.builder(w).input(0.05f, 1).output(0.2f, 0).rounding(Rounding.DOUBLE_ROUNDING)
                .parallelism(4).executor(countQuantized).parallelThreshold(threshold).build()
                .eval(LayerFixtures.bytes(random, batch * INPUT), batch, new byte[batch * units]);
        return new int[] {hybridTasks.get(), quantizedTasks.get()};
    }

    @Test
    void callsBelowTwiceTheThresholdStayOnTheCallingThread() throws InterruptedException {
        int units = 64; // 64 × 32 = 2048 multiply-adds per batch row
        assertEquals(0, helpersSubmitted(units, 1, 2048)[0], "1 × threshold");
        assertEquals(0, helpersSubmitted(units, 1, 1025)[1], "just below 2 × threshold");
        int[] atTwice = helpersSubmitted(units, 1, 1024);
        assertEquals(1, atTwice[0], "2 × threshold: two chunks, one helper (hybrid)");
        assertEquals(1, atTwice[1], "2 × threshold: two chunks, one helper (full-integer)");
        assertEquals(3, helpersSubmitted(units, 1, 1)[0], "far above: parallelism - 1 helpers");
    }

    @Test
    void callsThatCannotBeCutStayOnTheCallingThread() throws InterruptedException {
        int[] oneRowRange = helpersSubmitted(16, 1, 1); // one 16-row range, one batch row: one chunk
        assertEquals(0, oneRowRange[0]);
        assertEquals(0, oneRowRange[1]);
        assertEquals(1, helpersSubmitted(16, 2, 1)[0], "two batch rows can be split");
        assertEquals(1, helpersSubmitted(17, 1, 1)[1], "17 units: two row ranges");
    }
}
