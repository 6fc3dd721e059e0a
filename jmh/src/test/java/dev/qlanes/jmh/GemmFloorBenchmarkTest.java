package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The float-lane GEMM is exact ({@link GemmFloorBenchmark.Gemm#prepare} compares it with the reference and throws
 * otherwise), also where a lane without its flush every 1024 products would round.
 */
class GemmFloorBenchmarkTest {

    @Test
    void floatLanesFlushBeforeTheyRound() {
        // every product is (-127)·(-127) = 16129, odd: a lane summing 1041 or more of them passes 2^24 and rounds
        int cols = 1100 * GemmFloorBenchmark.L;
        GemmFloorBenchmark.Gemm g = gemm(4, 4, cols);
        g.prepare(filled(4 * cols), filled(4 * cols));
        assertEquals(cols * 16129, g.out[0]);
    }

    @Test
    void floatLanesMatchTheScalarLoopOnTheBenchmarksData() {
        gemm(8, 12, 8 * GemmFloorBenchmark.L).setUp();
    }

    private static GemmFloorBenchmark.Gemm gemm(int batch, int rows, int cols) {
        GemmFloorBenchmark.Gemm g = new GemmFloorBenchmark.Gemm();
        g.gemmShape = batch + "x" + rows + "x" + cols;
        g.shape = Shape.parse(g.gemmShape);
        return g;
    }

    private static byte[] filled(int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) -127);
        return a;
    }
}
