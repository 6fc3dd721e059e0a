package dev.qlanes.internal.vector;

import dev.qlanes.internal.vector.Fixtures.Bytes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The batch-1 row kernels on row ranges, in every generated variant ({@link ArrayDotLoops} for heap weights,
 * {@link NativeDotLoops} and {@link NativeShortRowLoops} for segments): a tile takes rows a quarter group apart, so
 * every row count around the group and tile sizes, every start row and a non-zero weights offset must still put each
 * row's dot product in its own slot and write nothing else. Expected values: {@link DotRowsCheck}.
 */
class DotLoopsRowRangeTest {
    /** Around one and two row groups (64), and below one tile (4). */
    private static final int[] ROW_COUNTS = {0, 1, 3, 4, 5, 15, 16, 17, 63, 64, 65, 67, 68, 128, 131, 135};
    private static final int[] ROW_STARTS = {0, 5};
    private static final int WEIGHTS_OFFSET = 3;
    /** Activation profiles, extremes included; weights are uniform, so that every row's dot product differs. */
    private static final Bytes[] ACTIVATIONS = {Bytes.UNIFORM, Bytes.ALL_MIN, Bytes.MAX_MIN, Bytes.CORNER_CYCLE};

    @TestFactory
    List<DynamicTest> everyRowLandsInItsOwnSlot() {
        int step = ArrayDotLoops.STEP;
        // the tile loop with and without a column tail, and rows too short for it
        int[] columns = {6 * step + 5, 4 * step, step + 1};
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int n : ROW_COUNTS) {
            for (int rowFrom : ROW_STARTS) {
                int cols = columns[i % columns.length];
                Bytes profile = ACTIVATIONS[i % ACTIVATIONS.length];
                long seed = Fixtures.SEED + 9000 + i++;
                tests.add(DynamicTest.dynamicTest(profile + " rows [" + rowFrom + ", " + (rowFrom + n) + ") x" + cols,
                        () -> check(profile, rowFrom, n, cols, seed)));
            }
        }
        return tests;
    }

    private static void check(Bytes profile, int rowFrom, int n, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rows = rowFrom + n;
        byte[] weights = Bytes.UNIFORM.fill(random, WEIGHTS_OFFSET + rows * cols);
        byte[] x = profile.fill(random, cols);
        String where = " rows [" + rowFrom + ", " + rows + ") x" + cols + ", seed " + seed;
        DotRowsCheck.dots("ArrayDotLoops", new ArrayDotLoops(weights, WEIGHTS_OFFSET, rows, cols), weights,
                WEIGHTS_OFFSET, cols, x, rowFrom, rows, where);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(Math.max(1, weights.length));
            MemorySegment.copy(weights, 0, segment, ValueLayout.JAVA_BYTE, 0, weights.length);
            DotRowsCheck.dots("NativeDotLoops", new NativeDotLoops(segment, WEIGHTS_OFFSET, rows, cols), weights,
                    WEIGHTS_OFFSET, cols, x, rowFrom, rows, where);
            DotRowsCheck.dots("NativeShortRowLoops", new NativeShortRowLoops(segment, WEIGHTS_OFFSET, rows, cols),
                    weights, WEIGHTS_OFFSET, cols, x, rowFrom, rows, where);
        }
    }
}
