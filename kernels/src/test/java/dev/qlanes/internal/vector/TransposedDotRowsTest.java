package dev.qlanes.internal.vector;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The short-row kernel, at this JVM's width, on heap and native weights: every row's dot product in its own slot,
 * one activation row ({@code dots}) and four ({@code dotsTile}), on row ranges whose ends fall inside a vector, and
 * nothing written past them. Expected values are dot products in long arithmetic, computed here.
 */
class TransposedDotRowsTest {
    private static final int STEP = ArrayDotLoops.STEP;
    private static final int LANES = VectorShapes.INTS.length();
    /** One column, and around one step and the widest row taken. */
    private static final int[] COLUMNS = {1, 2, STEP - 1, STEP, STEP + 1, TransposedDotRows.MAX_COLS};
    /** Below, at and past one and two vectors of rows, one row tile and past it, and ToyCar's 128. */
    private static final int[] ROWS = {1, 3, LANES - 1, LANES, LANES + 1, 2 * LANES + 3,
        TransposedDotRows.ROW_TILE * LANES, TransposedDotRows.ROW_TILE * LANES + LANES + 5, 128};
    private static final int WEIGHTS_OFFSET = 3;
    private static final Bytes[] ACTIVATIONS = {Bytes.UNIFORM, Bytes.ALL_MIN, Bytes.MAX_MIN, Bytes.CORNER_CYCLE};

    @TestFactory
    List<DynamicTest> everyRowLandsInItsOwnSlot() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (int cols : COLUMNS) {
            for (int rows : ROWS) {
                Bytes profile = ACTIVATIONS[i % ACTIVATIONS.length];
                long seed = Fixtures.SEED + 12000 + i++;
                tests.add(DynamicTest.dynamicTest(profile + " " + rows + "x" + cols,
                        () -> check(profile, rows, cols, seed)));
            }
        }
        return tests;
    }

    private static void check(Bytes profile, int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] weights = Bytes.UNIFORM.fill(random, WEIGHTS_OFFSET + rows * cols);
        byte[][] x = new byte[ArrayDotLoops.BATCH_TILE][];
        for (int k = 0; k < x.length; k++) {
            x[k] = profile.fill(random, cols);
        }
        byte[] tile = new byte[x.length * cols];
        for (int k = 0; k < x.length; k++) {
            System.arraycopy(x[k], 0, tile, k * cols, cols);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(rows * cols);
            MemorySegment.copy(weights, WEIGHTS_OFFSET, segment, ValueLayout.JAVA_BYTE, 0, rows * cols);
            DotRows heap = new TransposedDotRows(new ArrayDotLoops(weights, WEIGHTS_OFFSET, rows, cols),
                    MemorySegment.ofArray(weights).asSlice(WEIGHTS_OFFSET), rows, cols);
            DotRows native_ = new TransposedDotRows(new NativeDotLoops(segment, 0, rows, cols), segment, rows, cols);
            // the whole matrix, a range from a vector's middle to the end, and one ending inside a vector
            int[][] ranges = {{0, rows}, {Math.min(5, rows), rows}, {rows / 3, Math.max(rows / 3, rows - 2)}};
            for (int[] range : ranges) {
                String where = " rows [" + range[0] + ", " + range[1] + ") of " + rows + "x" + cols + ", seed " + seed;
                for (DotRows loops : List.of(heap, native_)) {
                    String kind = loops == heap ? "heap" : "native";
                    DotRowsCheck.dots("TransposedDotRows", loops, weights, WEIGHTS_OFFSET, cols, x[0], range[0],
                            range[1], kind + where);
                    DotRowsCheck.dotsTile("TransposedDotRows", loops, weights, WEIGHTS_OFFSET, cols, x, tile, range[0],
                            range[1], kind + where);
                }
            }
        }
    }

    @Test
    void servesShortRowsOfSmallMatricesOnly() {
        assertTrue(TransposedDotRows.serves(128, 8));
        assertTrue(TransposedDotRows.serves(1, TransposedDotRows.MAX_COLS));
        assertFalse(TransposedDotRows.serves(1, TransposedDotRows.MAX_COLS + 1), "a row of whole double steps");
        assertFalse(TransposedDotRows.serves(1, 0));
        assertFalse(TransposedDotRows.serves(TransposedDotRows.MAX_WEIGHTS / 8 + 1, 8), "an int32 copy over 4 MiB");
        byte[] w = new byte[16 * 8];
        assertInstanceOf(TransposedDotRows.class, VectorLayerKernels.create().rows(w, 0, 16, 8));
        assertInstanceOf(ArrayDotLoops.class, VectorLayerKernels.create().rows(new byte[2 * STEP], 0, 1, 2 * STEP));
        assertThrows(IllegalArgumentException.class, () -> new TransposedDotRows(
                new ArrayDotLoops(w, 0, 1, 2 * STEP), MemorySegment.ofArray(new byte[2 * STEP]), 1, 2 * STEP));
    }
}
