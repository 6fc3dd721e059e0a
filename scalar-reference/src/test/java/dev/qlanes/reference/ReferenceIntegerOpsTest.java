package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * reference_integer_ops::FullyConnected / FullyConnectedPerChannel in fixed point (docs/semantics.md §4.2, §1.6
 * clamps): hand-computed outputs in both roundings, offsets, optional bias, RELU-style clamps, int32 wrap, and random
 * shapes against a naive oracle.
 */
class ReferenceIntegerOpsTest {
    private static final int P30 = 1 << 30;
    private static final Rounding D = Rounding.DOUBLE_ROUNDING;
    private static final Rounding S = Rounding.SINGLE_ROUNDING;

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    // input {1,-2,3} / {-128,127,0}, input offset 5 -> {6,3,8} / {-123,132,5}
    // filter {2,0,-1} / {-127,127,1}, filter offset 1 -> {3,1,0} / {-126,128,2}
    // acc: b0o0 21, b0o1 -356, b1o0 -237, b1o1 32404; bias {7,-8} -> 28, -364, -230, 32396
    private static final byte[] INPUT = bytes(1, -2, 3, -128, 127, 0);
    private static final byte[] FILTER = bytes(2, 0, -1, -127, 127, 1);
    private static final int[] BIAS = {7, -8};

    private static byte[] out() {
        return bytes(77, 77, 77, 77, 77);
    }

    @Test
    void perTensorWithBias() {
        // x 0.125 (M = 2^30, shift -2): 3.5, -45.5, -28.75, 4049.5
        // double: 4, -46, -29, 4050; single: 4, -45, -29, 4050; + output offset -3, clamp [-128, 127]
        byte[] out = out();
        ReferenceIntegerOps.fullyConnected(5, 1, -3, P30, -2, -128, 127, INPUT, 2, 3, FILTER, 2, BIAS, out);
        assertArrayEquals(bytes(1, -49, -32, 127, 77), out, "double rounding (default)");
        out = out();
        ReferenceIntegerOps.fullyConnected(5, 1, -3, P30, -2, -128, 127, INPUT, 2, 3, FILTER, 2, BIAS, out, D);
        assertArrayEquals(bytes(1, -49, -32, 127, 77), out, "double rounding");
        out = out();
        ReferenceIntegerOps.fullyConnected(5, 1, -3, P30, -2, -128, 127, INPUT, 2, 3, FILTER, 2, BIAS, out, S);
        assertArrayEquals(bytes(1, -48, -32, 127, 77), out, "single rounding");
    }

    @Test
    void perTensorWithoutBias() {
        // 2.625, -44.5, -29.625, 4050.5; double: SRDHM(-237) = -118 -> RDBPOT = -29.5 -> -30
        // double: 3, -45, -30, 4051; single: 3, -44, -30, 4051; + (-3)
        byte[] out = out();
        ReferenceIntegerOps.fullyConnected(5, 1, -3, P30, -2, -128, 127, INPUT, 2, 3, FILTER, 2, null, out, D);
        assertArrayEquals(bytes(0, -48, -33, 127, 77), out, "double rounding");
        out = out();
        ReferenceIntegerOps.fullyConnected(5, 1, -3, P30, -2, -128, 127, INPUT, 2, 3, FILTER, 2, null, out, S);
        assertArrayEquals(bytes(0, -47, -33, 127, 77), out, "single rounding");
    }

    @Test
    void reluStyleClamps() {
        // RELU: [max(-128, Q(0)), 127] with Q(0) = output offset = -3
        byte[] out = out();
        ReferenceIntegerOps.fullyConnected(5, 1, -3, P30, -2, -3, 127, INPUT, 2, 3, FILTER, 2, BIAS, out);
        assertArrayEquals(bytes(1, -3, -3, 127, 77), out, "RELU");
        // RELU6-like window [-3, 20]
        out = out();
        ReferenceIntegerOps.fullyConnected(5, 1, -3, P30, -2, -3, 20, INPUT, 2, 3, FILTER, 2, BIAS, out);
        assertArrayEquals(bytes(1, -3, -3, 20, 77), out, "RELU6-like");
        // degenerate window min == max
        out = out();
        ReferenceIntegerOps.fullyConnected(5, 1, -3, P30, -2, 9, 9, INPUT, 2, 3, FILTER, 2, BIAS, out);
        assertArrayEquals(bytes(9, 9, 9, 9, 77), out, "min == max");
    }

    @Test
    void perChannel() {
        // filter offset ignored: acc {6,3,8}.{2,0,-1} = 4, {6,3,8}.{-127,127,1} = -373, -251, 32390;
        // + bias: 11, -381, -244, 32382. Channel 0 (2^30, -2) = x 0.125, channel 1 (2^30, -4) = x 1/32:
        // 11 -> 1.375: double SRDHM(11) = 6, RDBPOT(6, 2) = 1.5 -> 2; single 1
        // -381 -> -11.906: -12 both;  -244 -> -30.5: double -31, single -30;  32382 -> 1011.9 -> 1012
        int[] mult = {P30, P30};
        int[] shift = {-2, -4};
        byte[] out = out();
        ReferenceIntegerOps.fullyConnectedPerChannel(5, 2, mult, shift, -128, 127, INPUT, 2, 3, FILTER, 2, BIAS, out);
        assertArrayEquals(bytes(4, -10, -29, 127, 77), out, "double rounding (default)");
        out = out();
        ReferenceIntegerOps.fullyConnectedPerChannel(5, 2, mult, shift, -128, 127, INPUT, 2, 3, FILTER, 2, BIAS, out,
                D);
        assertArrayEquals(bytes(4, -10, -29, 127, 77), out, "double rounding");
        out = out();
        ReferenceIntegerOps.fullyConnectedPerChannel(5, 2, mult, shift, -128, 127, INPUT, 2, 3, FILTER, 2, BIAS, out,
                S);
        assertArrayEquals(bytes(3, -10, -28, 127, 77), out, "single rounding");
        // without bias: 4 -> 0.5 -> 1 (both: SRDHM(4) = 2, RDBPOT(2,2) = 0.5 -> 1; single floor(1.0) = 1)
        // -373 -> -11.656 -> -12; -251 -> -31.375 -> -31; 32390 -> 1012.2 -> 1012
        out = out();
        ReferenceIntegerOps.fullyConnectedPerChannel(5, 2, mult, shift, -128, 127, INPUT, 2, 3, FILTER, 2, null, out,
                D);
        assertArrayEquals(bytes(3, -10, -29, 127, 77), out, "no bias");
    }

    @Test
    void accumulatorWrapsInInt32() {
        // 131072 * (-128)(-128) = 2^31 wraps to INT32_MIN; MBQM(MIN, 2^30, -24) = -64 (unwrapped: +64)
        int depth = 131072;
        byte[] in = new byte[depth];
        Arrays.fill(in, (byte) -128);
        for (Rounding r : Rounding.values()) {
            byte[] out = {0};
            ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -24, -128, 127, in, 1, depth, in, 1, null, out, r);
            assertArrayEquals(bytes(-64), out, r.name());
            out[0] = 0;
            ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, new int[] {P30}, new int[] {-24}, -128, 127, in, 1,
                    depth, in, 1, null, out, r);
            assertArrayEquals(bytes(-64), out, r.name() + " per channel");
        }
    }

    @Test
    void randomFullyConnectedMatchesOracle() {
        long seed = 0xFC0FFEEL;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 3_000; i++) {
            int batches = rnd.nextInt(1, 4);
            int depth = rnd.nextInt(0, 60);
            int outDepth = rnd.nextInt(1, 9);
            byte[] in = new byte[batches * depth];
            byte[] f = new byte[outDepth * depth];
            for (int j = 0; j < in.length; j++) {
                in[j] = HybridMbvmaTest.randomInt8(rnd);
            }
            for (int j = 0; j < f.length; j++) {
                f[j] = HybridMbvmaTest.randomInt8(rnd);
            }
            int[] bias = rnd.nextBoolean() ? null : rnd.ints(outDepth, -300000, 300000).toArray();
            int inOff = rnd.nextInt(-127, 129);
            int fOff = rnd.nextInt(4) == 0 ? rnd.nextInt(-127, 129) : 0;
            int outOff = rnd.nextInt(-128, 128);
            int actMin = rnd.nextInt(-128, 128);
            int actMax = rnd.nextInt(actMin, 128);
            int mult = P30 + rnd.nextInt(P30);
            int shift = rnd.nextInt(-20, 1);
            int[] mults = new int[outDepth];
            int[] shifts = new int[outDepth];
            for (int o = 0; o < outDepth; o++) {
                mults[o] = P30 + rnd.nextInt(P30);
                shifts[o] = rnd.nextInt(-20, 1);
            }
            Rounding r = rnd.nextBoolean() ? D : S;
            byte[] expT = new byte[batches * outDepth];
            byte[] expC = new byte[batches * outDepth];
            for (int b = 0; b < batches; b++) {
                for (int o = 0; o < outDepth; o++) {
                    long accT = 0;
                    long accC = 0;
                    for (int d = 0; d < depth; d++) {
                        long x = in[b * depth + d] + inOff;
                        accT += (f[o * depth + d] + fOff) * x;
                        accC += f[o * depth + d] * x;
                    }
                    if (bias != null) {
                        accT += bias[o];
                        accC += bias[o];
                    }
                    int yT = Oracle.mbqm((int) accT, mult, shift, r) + outOff;
                    int yC = Oracle.mbqm((int) accC, mults[o], shifts[o], r) + outOff;
                    expT[b * outDepth + o] = (byte) Math.max(actMin, Math.min(actMax, yT));
                    expC[b * outDepth + o] = (byte) Math.max(actMin, Math.min(actMax, yC));
                }
            }
            String ctx = "seed " + seed + " case " + i + " (" + batches + "x" + outDepth + "x" + depth + ", " + r + ")";
            byte[] out = new byte[batches * outDepth];
            Arrays.fill(out, (byte) 99);
            ReferenceIntegerOps.fullyConnected(inOff, fOff, outOff, mult, shift, actMin, actMax, in, batches, depth, f,
                    outDepth, bias, out, r);
            assertArrayEquals(expT, out, ctx + " per tensor");
            Arrays.fill(out, (byte) 99);
            ReferenceIntegerOps.fullyConnectedPerChannel(inOff, outOff, mults, shifts, actMin, actMax, in, batches,
                    depth, f, outDepth, bias, out, r);
            assertArrayEquals(expC, out, ctx + " per channel");
        }
    }
}
