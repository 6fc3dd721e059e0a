package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * qlanes' two GEMV benchmarks are checked against the reference in {@code Operands.setUp()} like every peer: the
 * check passes on the real code, compares non-trivial outputs, and trips on a wrong result.
 */
class PeerGemvBenchmarkTest {

    private static PeerGemvBenchmark.Operands operands(String shape) {
        PeerGemvBenchmark.Operands o = new PeerGemvBenchmark.Operands();
        o.gemvShape = shape;
        o.setUp(); // runs both checks
        return o;
    }

    @Test
    void setUpChecksBothQlanesPathsOnOutputsWorthChecking() {
        PeerGemvBenchmark.Operands o = operands("3x40x72");
        assertTrue(IntStream.range(0, o.expectedInt8.length).map(i -> o.expectedInt8[i]).distinct().count() > 10,
                "full-integer outputs should vary, or the check compares little");
        assertTrue(IntStream.range(0, o.expectedFloat.length).mapToObj(i -> o.expectedFloat[i]).distinct().count()
                > 10, "hybrid outputs should vary");
        operands("1x17x33"); // tails of every vector width
    }

    @Test
    void aWrongFullIntegerResultFailsTheSetUpCheck() {
        PeerGemvBenchmark.Operands o = operands("2x24x48");
        o.bias[5] += 1 << 16; // the benchmarked call now computes something else than the reference did
        assertThrows(IllegalStateException.class, o::checkFullInteger);
    }

    @Test
    void aWrongHybridResultFailsTheSetUpCheck() {
        PeerGemvBenchmark.Operands o = operands("2x24x48");
        o.channelScales[7] = Math.nextUp(o.channelScales[7]); // one ulp of one scale: some output bits change
        assertThrows(IllegalStateException.class, o::checkHybrid);
    }
}
