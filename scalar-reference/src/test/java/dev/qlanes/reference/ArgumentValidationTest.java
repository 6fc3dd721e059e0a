package dev.qlanes.reference;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input for every public method: null arrays, negative sizes, arrays too short for the shape, out-of-range
 * shifts and clamps, null {@link Rounding}. Each case checks the exception type, that the message names the
 * argument (and the offending value / lengths), and that no output array was touched (canary values).
 */
class ArgumentValidationTest {
    private static final int P30 = 1 << 30;
    private static final Rounding D = Rounding.DOUBLE_ROUNDING;

    // ------------------------------------------------------------------ helpers

    private static Object[] snapshot(Object[] outputs) {
        Object[] copy = new Object[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Object o = outputs[i];
            if (o instanceof byte[] b) {
                copy[i] = b.clone();
            } else if (o instanceof short[] s) {
                copy[i] = s.clone();
            } else if (o instanceof int[] a) {
                copy[i] = a.clone();
            } else if (o instanceof float[] f) {
                copy[i] = f.clone();
            } else if (o != null) {
                throw new IllegalArgumentException(o.getClass().toString());
            }
        }
        return copy;
    }

    private static <T extends RuntimeException> T rejects(Class<T> type, Executable call, Object[] outputs,
            String... words) {
        Object[] before = snapshot(outputs);
        T ex = assertThrows(type, call);
        Messages.assertNames(ex, words);
        if (!Arrays.deepEquals(before, outputs)) {
            fail("an output was modified before " + type.getSimpleName() + " \"" + ex.getMessage() + "\"");
        }
        return ex;
    }

    /** Null array: {@link NullPointerException} naming it. */
    private static void npe(Executable call, Object[] outputs, String name) {
        rejects(NullPointerException.class, call, outputs, name);
    }

    /** Negative size: {@link IllegalArgumentException} naming it and its value. */
    private static void negative(Executable call, Object[] outputs, String name, int value) {
        rejects(IllegalArgumentException.class, call, outputs, name, String.valueOf(value));
    }

    /** Short array: {@link IndexOutOfBoundsException} naming it, its length and the required length. */
    private static void tooShort(Executable call, Object[] outputs, String name, int length, long required) {
        rejects(IndexOutOfBoundsException.class, call, outputs, name, String.valueOf(length), String.valueOf(required));
    }

    /** Value outside its range: {@link IllegalArgumentException} naming the argument and the value. */
    private static void outOfRange(Executable call, Object[] outputs, String name, int value) {
        rejects(IllegalArgumentException.class, call, outputs, name, String.valueOf(value));
    }

    private static void nullRounding(Executable call, Object[] outputs) {
        Object[] before = snapshot(outputs);
        NullPointerException ex = assertThrows(NullPointerException.class, call);
        Messages.assertNamesRounding(ex);
        assertTrue(Arrays.deepEquals(before, outputs), "an output was modified");
    }

    /** Either exception type is acceptable for inconsistent contents (indices, ledgers); the name must appear. */
    private static void badContent(Executable call, Object[] outputs, String name) {
        Object[] before = snapshot(outputs);
        RuntimeException ex = assertThrows(RuntimeException.class, call);
        assertTrue(ex instanceof IllegalArgumentException || ex instanceof IndexOutOfBoundsException,
                () -> "expected IllegalArgumentException or IndexOutOfBoundsException, got " + ex);
        Messages.assertNames(ex, name);
        assertTrue(Arrays.deepEquals(before, outputs), "an output was modified");
    }

    private static byte[] b(int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) 3);
        return a;
    }

    private static byte[] canaryB(int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) 0x5A);
        return a;
    }

    private static short[] canaryS(int n) {
        short[] a = new short[n];
        Arrays.fill(a, (short) 0x5A5A);
        return a;
    }

    private static int[] canaryI(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 0x5A5A5A5A);
        return a;
    }

    private static float[] canaryF(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 12345.5f);
        return a;
    }

    private static float[] f(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 0.75f);
        return a;
    }

    private static int[] i(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    // ------------------------------------------------------------------ FixedPoint / QuantizedMultiplier

    @Test
    void fixedPointAndMultiplier() {
        Object[] none = {};
        outOfRange(() -> FixedPoint.roundingDivideByPOT(5, 32), none, "exponent", 32);
        outOfRange(() -> FixedPoint.roundingDivideByPOT(5, -1), none, "exponent", -1);
        outOfRange(() -> FixedPoint.multiplyByQuantizedMultiplier(5, P30, 31), none, "shift", 31);
        outOfRange(() -> FixedPoint.multiplyByQuantizedMultiplier(5, P30, -32, D), none, "shift", -32);
        outOfRange(() -> FixedPoint.multiplyByQuantizedMultiplier(5L, P30, 8), none, "shift", 8);
        outOfRange(() -> FixedPoint.multiplyByQuantizedMultiplier(5L, P30, -32), none, "shift", -32);
        rejects(IllegalArgumentException.class, () -> FixedPoint.multiplyByQuantizedMultiplier(5L, -5, 0), none, "-5");
        nullRounding(() -> FixedPoint.multiplyByQuantizedMultiplier(5, P30, 0, null), none);
        nullRounding(() -> QuantizedMultiplier.of(0.5, null), none);
        assertThrows(IllegalArgumentException.class, () -> QuantizedMultiplier.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> QuantizedMultiplier.of(Double.NEGATIVE_INFINITY, D));
    }

    // ------------------------------------------------------------------ dotProduct

    @Test
    void dotProduct() {
        Object[] none = {};
        npe(() -> PortableTensorUtils.dotProduct(null, b(3), 3), none, "a");
        npe(() -> PortableTensorUtils.dotProduct(b(3), null, 3), none, "b");
        negative(() -> PortableTensorUtils.dotProduct(b(3), b(3), -1), none, "length", -1);
        tooShort(() -> PortableTensorUtils.dotProduct(b(2), b(3), 3), none, "a", 2, 3);
        tooShort(() -> PortableTensorUtils.dotProduct(b(3), b(2), 3), none, "b", 2, 3);
    }

    // ------------------------------------------------------------------ quantizers

    @Test
    void symmetricQuantizeFloatsFromData() {
        byte[] q = canaryB(4);
        float[] mm = canaryF(2);
        Object[] out = {q, mm};
        npe(() -> PortableTensorUtils.symmetricQuantizeFloats(null, 4, q, mm), out, "values");
        npe(() -> PortableTensorUtils.symmetricQuantizeFloats(f(4), 4, null, mm), out, "quantized");
        negative(() -> PortableTensorUtils.symmetricQuantizeFloats(f(4), -1, q, mm), out, "size", -1);
        tooShort(() -> PortableTensorUtils.symmetricQuantizeFloats(f(3), 4, q, mm), out, "values", 3, 4);
        tooShort(() -> PortableTensorUtils.symmetricQuantizeFloats(f(5), 5, q, mm), out, "quantized", 4, 5);
        float[] mm1 = canaryF(1);
        tooShort(() -> PortableTensorUtils.symmetricQuantizeFloats(f(4), 4, q, mm1), new Object[] {q, mm1}, "minMax",
                1, 2);
    }

    @Test
    void symmetricQuantizeFloatsGivenRange() {
        byte[] q = canaryB(4);
        Object[] out = {q};
        npe(() -> PortableTensorUtils.symmetricQuantizeFloats(null, 4, q, -1f, 1f), out, "values");
        npe(() -> PortableTensorUtils.symmetricQuantizeFloats(f(4), 4, null, -1f, 1f), out, "quantized");
        negative(() -> PortableTensorUtils.symmetricQuantizeFloats(f(4), -2, q, -1f, 1f), out, "size", -2);
        tooShort(() -> PortableTensorUtils.symmetricQuantizeFloats(f(3), 4, q, -1f, 1f), out, "values", 3, 4);
        tooShort(() -> PortableTensorUtils.symmetricQuantizeFloats(f(6), 6, q, -1f, 1f), out, "quantized", 4, 6);
    }

    @Test
    void asymmetricQuantizeFloats() {
        byte[] q = canaryB(4);
        int[] zp = canaryI(1);
        Object[] out = {q, zp};
        npe(() -> PortableTensorUtils.asymmetricQuantizeFloats(null, 4, q, zp), out, "values");
        npe(() -> PortableTensorUtils.asymmetricQuantizeFloats(f(4), 4, null, zp), out, "quantized");
        npe(() -> PortableTensorUtils.asymmetricQuantizeFloats(f(4), 4, q, null), out, "offset");
        negative(() -> PortableTensorUtils.asymmetricQuantizeFloats(f(4), -1, q, zp), out, "size", -1);
        tooShort(() -> PortableTensorUtils.asymmetricQuantizeFloats(f(3), 4, q, zp), out, "values", 3, 4);
        tooShort(() -> PortableTensorUtils.asymmetricQuantizeFloats(f(7), 7, q, zp), out, "quantized", 4, 7);
        int[] zp0 = new int[0];
        tooShort(() -> PortableTensorUtils.asymmetricQuantizeFloats(f(4), 4, q, zp0), out, "offset", 0, 1);
    }

    @Test
    void batchQuantizeFloats() {
        byte[] q = canaryB(6);
        float[] sf = canaryF(2);
        int[] zp = canaryI(2);
        Object[] out = {q, sf, zp};
        for (boolean asym : new boolean[] {false, true}) {
            npe(() -> PortableTensorUtils.batchQuantizeFloats(null, 2, 3, q, sf, zp, asym), out, "floatData");
            npe(() -> PortableTensorUtils.batchQuantizeFloats(f(6), 2, 3, null, sf, zp, asym), out, "quantized");
            npe(() -> PortableTensorUtils.batchQuantizeFloats(f(6), 2, 3, q, null, zp, asym), out, "scalingFactors");
            negative(() -> PortableTensorUtils.batchQuantizeFloats(f(6), -1, 3, q, sf, zp, asym), out, "nBatch", -1);
            negative(() -> PortableTensorUtils.batchQuantizeFloats(f(6), 2, -3, q, sf, zp, asym), out, "nData", -3);
            tooShort(() -> PortableTensorUtils.batchQuantizeFloats(f(5), 2, 3, q, sf, zp, asym), out, "floatData", 5,
                    6);
            tooShort(() -> PortableTensorUtils.batchQuantizeFloats(f(8), 2, 4, q, sf, zp, asym), out, "quantized", 6,
                    8);
            tooShort(() -> PortableTensorUtils.batchQuantizeFloats(f(9), 3, 2, q, sf, canaryI(3), asym), out,
                    "scalingFactors", 2, 3);
            tooShort(() -> PortableTensorUtils.batchQuantizeFloats(f(6), 3, 2, q, canaryF(3), zp, asym), out,
                    "zeroPoints", 2, 3);
        }
        npe(() -> PortableTensorUtils.batchQuantizeFloats(f(6), 2, 3, q, sf, null, true), out, "zeroPoints");
    }

    // ------------------------------------------------------------------ float and hybrid MBVMA

    @Test
    void floatMatrixBatchVectorMultiplyAccumulate() {
        float[] r = canaryF(6); // nBatch 2 x mRows 3, mCols 4
        Object[] out = {r};
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(null, 3, 4, f(8), 2, r), out, "matrix");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(12), 3, 4, null, 2, r), out, "vector");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(12), 3, 4, f(8), 2, null), out, "result");
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(12), -3, 4, f(8), 2, r), out, "mRows",
                -3);
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(12), 3, -4, f(8), 2, r), out, "mCols",
                -4);
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(12), 3, 4, f(8), -2, r), out,
                "nBatch", -2);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(11), 3, 4, f(8), 2, r), out, "matrix",
                11, 12);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(12), 3, 4, f(7), 2, r), out, "vector",
                7, 8);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(16), 4, 4, f(8), 2, r), out, "result",
                6, 8);
        // a shape whose element count overflows int is reported, not wrapped
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(f(4), 65536, 65536, f(8), 0, r), out,
                "matrix", 4, 4294967296L);
    }

    @Test
    void hybridMatrixBatchVectorMultiplyAccumulate() {
        float[] r = canaryF(6);
        Object[] out = {r};
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(null, 3, 4, b(8), f(2), 2, r), out,
                "matrix");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, null, f(2), 2, r), out,
                "vectors");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), null, 2, r), out,
                "scalingFactors");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(2), 2, null), out,
                "result");
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), -1, 4, b(8), f(2), 2, r), out,
                "mRows", -1);
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, -1, b(8), f(2), 2, r), out,
                "mCols", -1);
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(2), -1, r), out,
                "nBatch", -1);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(10), 3, 4, b(8), f(2), 2, r), out,
                "matrix", 10, 12);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(5), f(2), 2, r), out,
                "vectors", 5, 8);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(1), 2, r), out,
                "scalingFactors", 1, 2);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(16), 4, 4, b(8), f(2), 2, r), out,
                "result", 6, 8);
    }

    @Test
    void hybridWithOffsetsAndRowSums() {
        float[] r = canaryF(6);
        Object[] out = {r};
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(null, 3, 4, b(8), f(2), 2, r, f(3), i(2),
                i(3)), out, "matrix");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(2), 2, null, f(3), i(2),
                i(3)), out, "result");
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(2), -7, r, f(3),
                i(2), i(3)), out, "nBatch", -7);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(2), 2, r, f(2),
                i(2), i(3)), out, "perChannelScale", 2, 3);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(2), 2, r, f(3),
                i(1), i(3)), out, "inputOffset", 1, 2);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(2), 2, r, f(3),
                i(2), i(2)), out, "rowSums", 2, 3);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(12), 3, 4, b(8), f(2), 2, r, null,
                i(2), i(0)), out, "rowSums", 0, 3);
    }

    // ------------------------------------------------------------------ full-integer MBVMA (§3.6)

    @Test
    void integerMatrixBatchVectorMultiplyAccumulateInt8() {
        byte[] o = canaryB(6); // nBatch 2, nInput 4, nOutput 3
        Object[] out = {o};
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(null, i(3), b(12), P30, -1, 2, 4, 3, 0, o),
                out, "input");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), null, b(12), P30, -1, 2, 4, 3, 0, o),
                out, "bias");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), null, P30, -1, 2, 4, 3, 0, o),
                out, "inputToGateWeights");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1, 2, 4, 3, 0,
                (byte[]) null), out, "output");
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1, -2, 4, 3, 0,
                o), out, "nBatch", -2);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(7), i(3), b(12), P30, -1, 2, 4, 3, 0,
                o), out, "input", 7, 8);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(2), b(12), P30, -1, 2, 4, 3, 0,
                o), out, "bias", 2, 3);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(11), P30, -1, 2, 4, 3, 0,
                o), out, "inputToGateWeights", 11, 12);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(4), b(16), P30, -1, 2, 4, 4, 0,
                o), out, "output", 6, 8);
        outOfRange(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, 31, 2, 4, 3,
                0, o), out, "shift", 31);
        outOfRange(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -32, 2, 4, 3,
                0, o, D), out, "shift", -32);
        nullRounding(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1, 2, 4, 3,
                0, o, null), out);
    }

    @Test
    void integerMatrixBatchVectorMultiplyAccumulateInt16() {
        short[] o = canaryS(6);
        Object[] out = {o};
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(null, i(3), b(12), P30, -1, 2, 4, 3, 0, o),
                out, "input");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), null, b(12), P30, -1, 2, 4, 3, 0, o),
                out, "bias");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), null, P30, -1, 2, 4, 3, 0, o),
                out, "inputToGateWeights");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1, 2, 4, 3, 0,
                (short[]) null), out, "output");
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1, -1, 4, 3, 0,
                o), out, "nBatch", -1);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1, 3, 4, 3, 0,
                o), out, "input", 8, 12);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(4), b(16), P30, -1, 2, 4, 4, 0,
                o, D), out, "output", 6, 8);
        outOfRange(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, 31, 2, 4, 3,
                0, o), out, "shift", 31);
        nullRounding(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1, 2, 4, 3,
                0, o, null), out);
    }

    // ------------------------------------------------------------------ MatrixBatchVectorMultiply (§3.7)

    @Test
    void matrixBatchVectorMultiplyInt8() {
        byte[] o = canaryB(6); // nBatch 2, nInput 4, nCell 3
        Object[] out = {o};
        byte zp = 1;
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiply(null, 0, b(12), P30, -1, 2, 4, 3, o, zp), out, "input");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, null, P30, -1, 2, 4, 3, o, zp), out,
                "inputToGateWeights");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(12), P30, -1, 2, 4, 3, null, zp), out,
                "gateOutput");
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(12), P30, -1, -2, 4, 3, o, zp), out,
                "nBatch", -2);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(6), 0, b(12), P30, -1, 2, 4, 3, o, zp), out,
                "input", 6, 8);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(10), P30, -1, 2, 4, 3, o, zp), out,
                "inputToGateWeights", 10, 12);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(16), P30, -1, 2, 4, 4, o, zp), out,
                "gateOutput", 6, 8);
        outOfRange(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(12), P30, 31, 2, 4, 3, o, zp), out,
                "inputToGateEffectiveScaleB", 31);
        outOfRange(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(12), P30, -32, 2, 4, 3, o, zp, D),
                out, "inputToGateEffectiveScaleB", -32);
        nullRounding(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(12), P30, -1, 2, 4, 3, o, zp, null),
                out);
    }

    @Test
    void matrixBatchVectorMultiplyInt16() {
        byte[] o = canaryB(6); // nBatch 2, nHidden 4, nOutput 3
        Object[] out = {o};
        short[] h = new short[8];
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiply(null, b(12), P30, -1, i(3), 2, 4, 3, 0, o), out,
                "hidden");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, null, P30, -1, i(3), 2, 4, 3, 0, o), out,
                "hiddenToOutputWeights");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), P30, -1, null, 2, 4, 3, 0, o), out,
                "gateBias");
        npe(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), P30, -1, i(3), 2, 4, 3, 0, null), out,
                "projOutput");
        negative(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), P30, -1, i(3), -2, 4, 3, 0, o), out,
                "nBatch", -2);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiply(new short[7], b(12), P30, -1, i(3), 2, 4, 3, 0, o),
                out, "hidden", 7, 8);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(11), P30, -1, i(3), 2, 4, 3, 0, o), out,
                "hiddenToOutputWeights", 11, 12);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), P30, -1, i(2), 2, 4, 3, 0, o), out,
                "gateBias", 2, 3);
        tooShort(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(16), P30, -1, i(4), 2, 4, 4, 0, o), out,
                "projOutput", 6, 8);
        outOfRange(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), P30, 8, i(3), 2, 4, 3, 0, o), out,
                "projEffectiveScaleB", 8);
        outOfRange(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), P30, -32, i(3), 2, 4, 3, 0, o), out,
                "projEffectiveScaleB", -32);
        outOfRange(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), -1, 0, i(3), 2, 4, 3, 0, o), out,
                "projEffectiveScaleA", -1);
    }

    @Test
    void integerSizeArgumentsAreNamedAsInTheSignature() {
        // the LSTM-style kernels name their sizes nInput / nOutput / nCell / nHidden, not mRows / mCols
        byte[] o = canaryB(6);
        short[] o16 = canaryS(6);
        Object[] out = {o, o16};
        short[] h = new short[8];
        byte zp = 1;
        assertAll(
                () -> negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1,
                        2, -4, 3, 0, o), out, "nInput", -4),
                () -> negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1,
                        2, 4, -3, 0, o), out, "nOutput", -3),
                () -> negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1,
                        2, -4, 3, 0, o16), out, "nInput", -4),
                () -> negative(() -> PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(b(8), i(3), b(12), P30, -1,
                        2, 4, -3, 0, o16), out, "nOutput", -3),
                () -> negative(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(12), P30, -1, 2, -4, 3, o,
                        zp), out, "nInput", -4),
                () -> negative(() -> PortableTensorUtils.matrixBatchVectorMultiply(b(8), 0, b(12), P30, -1, 2, 4, -3, o,
                        zp), out, "nCell", -3),
                () -> negative(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), P30, -1, i(3), 2, -4, 3, 0,
                        o), out, "nHidden", -4),
                () -> negative(() -> PortableTensorUtils.matrixBatchVectorMultiply(h, b(12), P30, -1, i(3), 2, 4, -3, 0,
                        o), out, "nOutput", -3));
    }

    // ------------------------------------------------------------------ sparse (§3.8)

    // 2 rows x 32 columns: row 0 has block 1, row 1 has blocks 0 and 1; 3 stored blocks = 48 matrix bytes
    private static final int[] SEG = {0, 1, 3};
    private static final int[] IDX = {1, 0, 1};

    @Test
    void sparse1x16() {
        byte[] o = canaryB(4); // nBatch 2 x mRows 2
        Object[] out = {o};
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(null, SEG, IDX, 2, 32, b(64), null,
                2, 0, P30, -1, null, null, 0, -128, 127, o), out, "matrix");
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), null, IDX, 2, 32, b(64),
                null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "segments");
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, null, 2, 32, b(64),
                null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "indices");
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32, null, null,
                2, 0, P30, -1, null, null, 0, -128, 127, o), out, "vector");
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32, b(64), null,
                2, 0, P30, -1, null, null, 0, -128, 127, null), out, "result");
        negative(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, -2, 32, b(64),
                null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "mRows", -2);
        negative(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, -32, b(64),
                null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "mCols", -32);
        negative(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32, b(64),
                null, -2, 0, P30, -1, null, null, 0, -128, 127, o), out, "nBatch", -2);
        outOfRange(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 31,
                b(64), null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "mCols", 31);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), new int[] {0, 1}, IDX,
                2, 32, b(64), null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "segments", 2, 3);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32, b(63),
                null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "vector", 63, 64);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32, b(96),
                null, 3, 0, P30, -1, null, null, 0, -128, 127, o), out, "result", 4, 6);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32, b(64),
                i(1), 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "biasVector", 1, 2);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32, b(64),
                null, 2, 0, P30, -1, i(1), i(2), 0, -128, 127, o), out, "perChannelScale", 1, 2);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32, b(64),
                null, 2, 0, P30, -1, i(2), i(1), 0, -128, 127, o), out, "perChannelShift", 1, 2);
        // the matrix must hold every stored block, indices every segment entry
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(47), SEG, IDX, 2, 32, b(64),
                null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "matrix", 47, 48);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, new int[] {1, 0},
                2, 32, b(64), null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "indices", 2, 3);
        badContent(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG,
                new int[] {1, 0, 2}, 2, 32, b(64), null, 2, 0, P30, -1, null, null, 0, -128, 127, o), out, "indices");
        outOfRange(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32,
                b(64), null, 2, 0, P30, 31, null, null, 0, -128, 127, o), out, "outputShift", 31);
        rejects(IllegalArgumentException.class, () -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(
                b(48), SEG, IDX, 2, 32, b(64), null, 2, 0, P30, -1, i(2), new int[] {-1, 31}, 0, -128, 127, o), out,
                "perChannelShift", "31");
        rejects(IllegalArgumentException.class, () -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(
                b(48), SEG, IDX, 2, 32, b(64), null, 2, 0, P30, -1, null, null, 0, 10, 5, o), out, "5");
        nullRounding(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(b(48), SEG, IDX, 2, 32,
                b(64), null, 2, 0, P30, -1, null, null, 0, -128, 127, o, null), out);
    }

    @Test
    void sparseLedger() {
        float[] r = canaryF(4);
        Object[] out = {r};
        byte[] ledger = {1, 1, 2, 0, 1};
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(null, ledger, 2, 32, b(64), f(2), 2, r,
                null), out, "matrix");
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), null, 2, 32, b(64), f(2), 2, r,
                null), out, "ledger");
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 32, null, f(2), 2, r,
                null), out, "vectors");
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 32, b(64), null, 2, r,
                null), out, "scalingFactors");
        npe(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 32, b(64), f(2), 2,
                null, null), out, "result");
        negative(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, -1, 32, b(64), f(2),
                2, r, null), out, "mRows", -1);
        negative(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 32, b(64), f(2),
                -1, r, null), out, "nBatch", -1);
        outOfRange(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 40, b(80),
                f(2), 2, r, null), out, "mCols", 40);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 32, b(60), f(2),
                2, r, null), out, "vectors", 60, 64);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 32, b(64), f(1),
                2, r, null), out, "scalingFactors", 1, 2);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 32, b(96), f(3),
                3, r, null), out, "result", 4, 6);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48), ledger, 2, 32, b(64), f(2),
                2, r, f(1)), out, "perChannelScale", 1, 2);
        tooShort(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(47), ledger, 2, 32, b(64), f(2),
                2, r, null), out, "matrix", 47, 48);
        // row 1 announces 2 blocks but the ledger ends after one index
        rejects(IndexOutOfBoundsException.class, () -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(
                b(48), new byte[] {1, 1, 2, 0}, 2, 32, b(64), f(2), 2, r, null), out, "ledger", "4");
        badContent(() -> PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(b(48),
                new byte[] {1, 2, 2, 0, 1}, 2, 32, b(64), f(2), 2, r, null), out, "ledger");
    }

    // ------------------------------------------------------------------ §3.9 helpers

    @Test
    void reductionSumVector() {
        int[] o = canaryI(3);
        Object[] out = {o};
        npe(() -> PortableTensorUtils.reductionSumVector(null, o, 3, 2), out, "input");
        npe(() -> PortableTensorUtils.reductionSumVector(b(6), null, 3, 2), out, "output");
        negative(() -> PortableTensorUtils.reductionSumVector(b(6), o, -3, 2), out, "outputSize", -3);
        negative(() -> PortableTensorUtils.reductionSumVector(b(6), o, 3, -2), out, "reductionSize", -2);
        tooShort(() -> PortableTensorUtils.reductionSumVector(b(5), o, 3, 2), out, "input", 5, 6);
        tooShort(() -> PortableTensorUtils.reductionSumVector(b(8), o, 4, 2), out, "output", 3, 4);
    }

    @Test
    void matrixScalarMultiplyAccumulate() {
        int[] o = canaryI(3);
        Object[] out = {o};
        npe(() -> PortableTensorUtils.matrixScalarMultiplyAccumulate(null, 2, 3, 2, o), out, "matrix");
        npe(() -> PortableTensorUtils.matrixScalarMultiplyAccumulate(b(6), 2, 3, 2, null), out, "output");
        negative(() -> PortableTensorUtils.matrixScalarMultiplyAccumulate(b(6), 2, -3, 2, o), out, "nRow", -3);
        negative(() -> PortableTensorUtils.matrixScalarMultiplyAccumulate(b(6), 2, 3, -2, o), out, "nCol", -2);
        tooShort(() -> PortableTensorUtils.matrixScalarMultiplyAccumulate(b(5), 2, 3, 2, o), out, "matrix", 5, 6);
        tooShort(() -> PortableTensorUtils.matrixScalarMultiplyAccumulate(b(8), 2, 4, 2, o), out, "output", 3, 4);
    }

    @Test
    void vectorScalarMultiply() {
        float[] o = canaryF(3);
        Object[] out = {o};
        npe(() -> PortableTensorUtils.vectorScalarMultiply(null, 3, 1f, o), out, "vector");
        npe(() -> PortableTensorUtils.vectorScalarMultiply(b(3), 3, 1f, null), out, "result");
        negative(() -> PortableTensorUtils.vectorScalarMultiply(b(3), -3, 1f, o), out, "vSize", -3);
        tooShort(() -> PortableTensorUtils.vectorScalarMultiply(b(2), 3, 1f, o), out, "vector", 2, 3);
        tooShort(() -> PortableTensorUtils.vectorScalarMultiply(b(4), 4, 1f, o), out, "result", 3, 4);
    }

    // ------------------------------------------------------------------ ReferenceIntegerOps

    @Test
    void fullyConnected() {
        byte[] o = canaryB(6); // batches 2, accumDepth 4, outputDepth 3
        Object[] out = {o};
        npe(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, null, 2, 4, b(12), 3, i(3), o), out,
                "input");
        npe(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), 2, 4, null, 3, i(3), o), out,
                "filter");
        npe(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), 2, 4, b(12), 3, i(3), null),
                out, "output");
        negative(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), -2, 4, b(12), 3, i(3), o),
                out, "batches", -2);
        negative(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), 2, -4, b(12), 3, i(3), o),
                out, "accumDepth", -4);
        negative(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), 2, 4, b(12), -3, i(3), o),
                out, "outputDepth", -3);
        tooShort(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(7), 2, 4, b(12), 3, i(3), o),
                out, "input", 7, 8);
        tooShort(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), 2, 4, b(11), 3, i(3), o),
                out, "filter", 11, 12);
        tooShort(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), 2, 4, b(12), 3, i(2), o),
                out, "bias", 2, 3);
        tooShort(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), 2, 4, b(16), 4, i(4), o),
                out, "output", 6, 8);
        outOfRange(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, 31, -128, 127, b(8), 2, 4, b(12), 3, i(3), o),
                out, "outputShift", 31);
        outOfRange(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -32, -128, 127, b(8), 2, 4, b(12), 3, i(3), o,
                D), out, "outputShift", -32);
        outOfRange(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -129, 127, b(8), 2, 4, b(12), 3, i(3), o),
                out, "activationMin", -129);
        outOfRange(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 128, b(8), 2, 4, b(12), 3, i(3), o),
                out, "activationMax", 128);
        rejects(IllegalArgumentException.class, () -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, 10, 9, b(8),
                2, 4, b(12), 3, i(3), o), out, "9");
        nullRounding(() -> ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, -1, -128, 127, b(8), 2, 4, b(12), 3, i(3),
                o, null), out);
    }

    @Test
    void fullyConnectedPerChannel() {
        byte[] o = canaryB(6);
        Object[] out = {o};
        int[] m = {P30, P30, P30};
        int[] s = {-1, -1, -1};
        npe(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, null, s, -128, 127, b(8), 2, 4, b(12), 3, i(3), o),
                out, "outputMultiplier");
        npe(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, null, -128, 127, b(8), 2, 4, b(12), 3, i(3), o),
                out, "outputShift");
        npe(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, s, -128, 127, null, 2, 4, b(12), 3, i(3), o),
                out, "input");
        npe(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, s, -128, 127, b(8), 2, 4, null, 3, i(3), o),
                out, "filter");
        npe(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, s, -128, 127, b(8), 2, 4, b(12), 3, i(3), null),
                out, "output");
        negative(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, s, -128, 127, b(8), -1, 4, b(12), 3, i(3),
                o), out, "batches", -1);
        negative(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, s, -128, 127, b(8), 2, 4, b(12), -1, i(3),
                o), out, "outputDepth", -1);
        tooShort(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, new int[2], s, -128, 127, b(8), 2, 4, b(12),
                3, i(3), o), out, "outputMultiplier", 2, 3);
        tooShort(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, new int[] {-1, -1}, -128, 127, b(8), 2, 4,
                b(12), 3, i(3), o), out, "outputShift", 2, 3);
        tooShort(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, s, -128, 127, b(8), 2, 4, b(12), 3, i(3),
                canaryB(5)), out, "output", 5, 6);
        // a bad shift in the last channel is found before the first output is written
        rejects(IllegalArgumentException.class, () -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m,
                new int[] {-1, -1, 31}, -128, 127, b(8), 2, 4, b(12), 3, i(3), o), out, "outputShift", "31");
        outOfRange(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, s, 0, -1, b(8), 2, 4, b(12), 3, i(3), o),
                out, "activationMax", -1);
        nullRounding(() -> ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, m, s, -128, 127, b(8), 2, 4, b(12), 3,
                i(3), o, null), out);
    }

    // ------------------------------------------------------------------ empty shapes are fine

    @Test
    void zeroSizesAreAccepted() {
        PortableTensorUtils.dotProduct(new byte[0], new byte[0], 0);
        PortableTensorUtils.asymmetricQuantizeFloats(new float[0], 0, new byte[0], new int[1]);
        PortableTensorUtils.batchQuantizeFloats(new float[0], 0, 5, new byte[0], new float[0], null, false);
        PortableTensorUtils.batchQuantizeFloats(new float[0], 0, 5, new byte[0], new float[0], new int[0], true);
        PortableTensorUtils.batchQuantizeFloats(new float[0], 3, 0, new byte[0], new float[3], new int[3], true);
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(new byte[0], new int[0], new byte[0], P30, 0, 0, 0, 0,
                0, new byte[0]);
        PortableTensorUtils.matrixBatchVectorMultiply(new byte[0], 0, new byte[0], P30, 0, 0, 0, 0, new byte[0],
                (byte) 0);
        PortableTensorUtils.matrixBatchVectorMultiply(new short[0], new byte[0], P30, 0, new int[0], 0, 0, 0, 0,
                new byte[0]);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(new byte[0], new int[] {0}, new int[0], 0, 0,
                new byte[0], null, 0, 0, P30, 0, null, null, 0, -128, 127, new byte[0]);
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(new byte[0], new byte[0], 0, 0, new byte[0],
                new float[0], 0, new float[0], null);
        PortableTensorUtils.reductionSumVector(new byte[0], new int[0], 0, 7);
        PortableTensorUtils.matrixScalarMultiplyAccumulate(new byte[0], 3, 0, 0, new int[0]);
        PortableTensorUtils.vectorScalarMultiply(new byte[0], 0, 1f, new float[0]);
        ReferenceIntegerOps.fullyConnected(0, 0, 0, P30, 0, -128, 127, new byte[0], 0, 0, new byte[0], 0, null,
                new byte[0]);
        ReferenceIntegerOps.fullyConnectedPerChannel(0, 0, new int[0], new int[0], -128, 127, new byte[0], 0, 0,
                new byte[0], 0, null, new byte[0]);
    }
}
