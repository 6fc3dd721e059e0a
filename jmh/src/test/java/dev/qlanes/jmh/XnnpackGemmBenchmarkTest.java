package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qlanes.jmh.peers.Xnnpack;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link XnnpackGemmBenchmark}'s {@code @Setup} code at a small shape: qlanes' layers pass their bit-exact checks on
 * outputs worth checking and trip on a wrong result; the XNNPACK states compute their mismatch statistic, and the
 * benchmarked call leaves the output that statistic was computed on.
 */
class XnnpackGemmBenchmarkTest {

    private static XnnpackGemmBenchmark.Operands operands(String shape) {
        XnnpackGemmBenchmark.Operands o = new XnnpackGemmBenchmark.Operands();
        o.fcShape = shape;
        o.setUp();
        return o;
    }

    private static void requireXnnpack() {
        if (!Xnnpack.available()) {
            if (Xnnpack.installed()) {
                fail("XNNPACK installed but unusable: " + Xnnpack.unavailableReason());
            }
            Assumptions.abort("XNNPACK not installed: " + Xnnpack.unavailableReason());
        }
    }

    @Test
    void qlanesLayersPassTheirChecksOnSpreadOutputs() {
        XnnpackGemmBenchmark.Operands o = operands("3x40x72");
        byte[] expected = o.expectedInt8();
        long distinct = IntStream.range(0, expected.length).map(i -> expected[i]).distinct().count();
        assertTrue(distinct > 20, "int8 outputs should spread, got " + distinct + " distinct values");
        long saturated = IntStream.range(0, expected.length).filter(i -> expected[i] == 127 || expected[i] == -128)
                .count();
        assertTrue(saturated < expected.length / 10, saturated + " of " + expected.length + " outputs saturate");
        new XnnpackGemmBenchmark.QlanesFullInteger().setUp(o);
        new XnnpackGemmBenchmark.QlanesHybrid().setUp(o);
    }

    @Test
    void wrongQlanesResultsFailTheSetUpChecks() {
        XnnpackGemmBenchmark.Operands o = operands("2x24x48");
        XnnpackGemmBenchmark.QlanesFullInteger q = new XnnpackGemmBenchmark.QlanesFullInteger();
        q.setUp(o);
        o.int32Bias[3] += 1 << 16; // the reference now computes something else than the layer built before
        assertThrows(IllegalStateException.class, () -> q.check(o));
        XnnpackGemmBenchmark.QlanesHybrid h = new XnnpackGemmBenchmark.QlanesHybrid();
        h.setUp(o);
        o.floatBias[5] += 1.0f;
        assertThrows(IllegalStateException.class, () -> h.check(o));
    }

    @Test
    void xnnpackStatesComputeTheirMismatchStatistic() {
        requireXnnpack();
        XnnpackGemmBenchmark.Operands o = operands("3x40x72");
        XnnpackGemmBenchmark.XnnpackQs8 qs8 = new XnnpackGemmBenchmark.XnnpackQs8();
        qs8.setUp(o);
        try {
            assertEquals(3 * 40, qs8.mismatch.compared());
            assertTrue(qs8.mismatch.largestDifference() <= XnnpackGemmBenchmark.QS8_MAX_DIFFERENCE);
            byte[] before = qs8.op.output().toArray(ValueLayout.JAVA_BYTE);
            qs8.op.output().fill((byte) 0);
            new XnnpackGemmBenchmark().xnnpackQs8(qs8);
            assertEquals(java.util.Arrays.toString(before),
                    java.util.Arrays.toString(qs8.op.output().toArray(ValueLayout.JAVA_BYTE)));
        } finally {
            qs8.tearDown();
        }
        XnnpackGemmBenchmark.XnnpackF32 f32 = new XnnpackGemmBenchmark.XnnpackF32();
        f32.setUp(o);
        try {
            assertEquals(3 * 40, f32.mismatch.compared());
            assertTrue(f32.mismatch.differing() > 0, "XNNPACK's float GEMM sums in another order than TFLite's loop");
        } finally {
            f32.tearDown();
        }
    }

}
