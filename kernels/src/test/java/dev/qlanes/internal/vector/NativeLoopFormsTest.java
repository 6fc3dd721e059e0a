package dev.qlanes.internal.vector;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.qlanes.internal.DotRows;
import dev.qlanes.internal.vector.Fixtures.Bytes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Both loop forms over native weights, at this JVM's width: {@link NativeDotLoops} (counted column loops) and
 * {@link NativeShortRowLoops} (uncounted), through {@link DotRows} at batch 1 ({@code dots}) and in batch tiles
 * ({@code dotsTile}), on rows of one to past sixteen double steps, with and without a column tail, and the layers'
 * choice between them at {@link NativeShortRowLoops#MAX_COLS}. Expected values: {@link DotRowsCheck}.
 */
class NativeLoopFormsTest {
    private static final int DOUBLE_STEP = 2 * NativeDotLoops.STEP;
    /** One double step, a few, a tail after them, the limit of the uncounted form and past it. */
    private static final int[] COLUMNS = {DOUBLE_STEP, 2 * DOUBLE_STEP, 3 * DOUBLE_STEP + 5,
        NativeShortRowLoops.MAX_COLS, NativeShortRowLoops.MAX_COLS + 1, NativeShortRowLoops.MAX_COLS + DOUBLE_STEP + 7};
    /** Below one row tile, one, and tiles with leftover rows across a row group. */
    private static final int[] ROWS = {1, 4, 5, 67};
    private static final Bytes[] ACTIVATIONS = {Bytes.UNIFORM, Bytes.ALL_MIN, Bytes.MAX_MIN, Bytes.CORNER_CYCLE};

    @TestFactory
    List<DynamicTest> bothFormsGiveEveryRowsExactDotProduct() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int cols : COLUMNS) {
            for (int rows : ROWS) {
                Bytes profile = ACTIVATIONS[i % ACTIVATIONS.length];
                long seed = Fixtures.SEED + 15000 + i++;
                tests.add(DynamicTest.dynamicTest(profile + " " + rows + "x" + cols,
                        () -> check(profile, rows, cols, seed)));
            }
        }
        return tests;
    }

    private static void check(Bytes profile, int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] weights = Bytes.UNIFORM.fill(random, rows * cols);
        byte[][] x = new byte[NativeDotLoops.BATCH_TILE][];
        byte[] tile = new byte[x.length * cols];
        for (int k = 0; k < x.length; k++) {
            x[k] = profile.fill(random, cols);
            System.arraycopy(x[k], 0, tile, k * cols, cols);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(rows * cols);
            MemorySegment.copy(weights, 0, segment, ValueLayout.JAVA_BYTE, 0, rows * cols);
            DotRows counted = new NativeDotLoops(segment, 0, rows, cols);
            DotRows uncounted = new NativeShortRowLoops(segment, 0, rows, cols);
            // the whole matrix, and a range that starts and ends inside row tiles
            int[][] ranges = {{0, rows}, {Math.min(1, rows), Math.max(1, rows - 2)}};
            for (int[] range : ranges) {
                String where = " rows [" + range[0] + ", " + range[1] + ") of " + rows + "x" + cols + ", seed " + seed;
                for (DotRows loops : List.of(counted, uncounted)) {
                    String kernel = loops.getClass().getSimpleName();
                    DotRowsCheck.dots(kernel, loops, weights, 0, cols, x[0], range[0], range[1], where);
                    DotRowsCheck.dotsTile(kernel, loops, weights, 0, cols, x, tile, range[0], range[1], where);
                }
            }
        }
    }

    @Test
    void layersTakeTheUncountedFormUpToItsLimit() {
        try (Arena arena = Arena.ofConfined()) {
            int limit = NativeShortRowLoops.MAX_COLS;
            assertInstanceOf(NativeShortRowLoops.class,
                    VectorLayerKernels.create().rows(arena.allocate(2L * limit), 2, limit));
            assertInstanceOf(NativeDotLoops.class,
                    VectorLayerKernels.create().rows(arena.allocate(2L * (limit + 1)), 2, limit + 1));
            assertInstanceOf(NativeShortRowLoops.class,
                    VectorLayerKernels.create().rows(arena.allocate(2L * DOUBLE_STEP), 2, DOUBLE_STEP));
        }
    }
}
