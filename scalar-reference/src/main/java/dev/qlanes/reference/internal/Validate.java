package dev.qlanes.reference.internal;

import dev.qlanes.reference.FixedPoint;
import dev.qlanes.reference.Rounding;

/**
 * The argument contract of every {@code TensorUtils} operation, written once and called first by both
 * the reference and the vector facade. Sizes are multiplied in {@code long}, so a shape whose element
 * count overflows {@code int} is reported as too large for its array rather than silently wrapped.
 */
public final class Validate {
    private Validate() {}

    /** int8 values per sparse block in the 1x16 formats (docs/semantics.md §3.8). */
    public static final int SPARSE_BLOCK = 16;
    /** Bounds of int8 outputs, which activation ranges must lie within. */
    private static final int INT8_MIN = -128;
    private static final int INT8_MAX = 127;

    public static void dotProduct(byte[] a, byte[] b, int length) {
        Check.nonNegative("length", length);
        Check.array("a", a, length, "length");
        Check.array("b", b, length, "length");
    }

    public static void quantizeFloats(float[] values, int size, byte[] quantized) {
        Check.nonNegative("size", size);
        Check.array("values", values, size, "size");
        Check.array("quantized", quantized, size, "size");
    }

    public static void symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float[] minMax) {
        quantizeFloats(values, size, quantized);
        Check.optionalArray("minMax", minMax, 2, "[min, max]");
    }

    public static void asymmetricQuantizeFloats(float[] values, int size, byte[] quantized, int[] offset) {
        quantizeFloats(values, size, quantized);
        Check.array("offset", offset, 1, "[zeroPoint]");
    }

    public static void isZeroVector(float[] vector, int vSize) {
        Check.nonNegative("vSize", vSize);
        Check.array("vector", vector, vSize, "vSize");
    }

    public static void batchQuantizeFloats(float[] floatData, int nBatch, int nData, byte[] quantized,
            float[] scalingFactors, int[] zeroPoints, boolean doAsymmetric) {
        Check.nonNegative("nBatch", nBatch);
        Check.nonNegative("nData", nData);
        long n = (long) nBatch * nData;
        Check.array("floatData", floatData, n, "nBatch * nData");
        Check.array("quantized", quantized, n, "nBatch * nData");
        Check.array("scalingFactors", scalingFactors, nBatch, "nBatch");
        if (doAsymmetric) {
            Check.array("zeroPoints", zeroPoints, nBatch, "nBatch, required when doAsymmetric");
        } else {
            Check.optionalArray("zeroPoints", zeroPoints, nBatch, "nBatch");
        }
    }

    /** Shape of a matrix {@code [mRows][mCols]} times {@code nBatch} vectors into {@code [nBatch][mRows]} results. */
    public static void matrixBatchShape(int mRows, int mCols, int nBatch) {
        shape("mRows", mRows, "mCols", mCols, "nBatch", nBatch);
    }

    /** The same shape check under the argument names a method actually has (e.g. nOutput, nInput). */
    private static void shape(String rowsName, int rows, String colsName, int cols, String batchName, int batch) {
        Check.nonNegative(rowsName, rows);
        Check.nonNegative(colsName, cols);
        Check.nonNegative(batchName, batch);
    }

    public static void floatMatrixBatchVector(float[] matrix, int mRows, int mCols, float[] vector, int nBatch,
            float[] result) {
        matrixBatchShape(mRows, mCols, nBatch);
        Check.array("matrix", matrix, (long) mRows * mCols, "mRows * mCols");
        Check.array("vector", vector, (long) nBatch * mCols, "nBatch * mCols");
        Check.array("result", result, (long) nBatch * mRows, "nBatch * mRows");
    }

    public static void hybridMatrixBatchVector(byte[] matrix, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale, int[] inputOffset,
            int[] rowSums) {
        matrixBatchShape(mRows, mCols, nBatch);
        Check.array("matrix", matrix, (long) mRows * mCols, "mRows * mCols");
        Check.array("vectors", vectors, (long) nBatch * mCols, "nBatch * mCols");
        Check.array("scalingFactors", scalingFactors, nBatch, "nBatch");
        Check.array("result", result, (long) nBatch * mRows, "nBatch * mRows");
        Check.optionalArray("perChannelScale", perChannelScale, mRows, "mRows");
        Check.optionalArray("inputOffset", inputOffset, nBatch, "nBatch");
        if (inputOffset != null) {
            Check.optionalArray("rowSums", rowSums, mRows, "mRows");
        }
    }

    public static void integerMatrixBatchVectorAccumulate(byte[] input, int[] bias, byte[] weights, int shift,
            int nBatch, int nInput, int nOutput, byte[] output, Rounding rounding) {
        integerMatrixBatchVectorAccumulate(input, bias, weights, shift, nBatch, nInput, nOutput,
                Check.notNull("output", output).length, rounding);
    }

    public static void integerMatrixBatchVectorAccumulate(byte[] input, int[] bias, byte[] weights, int shift,
            int nBatch, int nInput, int nOutput, short[] output, Rounding rounding) {
        integerMatrixBatchVectorAccumulate(input, bias, weights, shift, nBatch, nInput, nOutput,
                Check.notNull("output", output).length, rounding);
    }

    private static void integerMatrixBatchVectorAccumulate(byte[] input, int[] bias, byte[] weights, int shift,
            int nBatch, int nInput, int nOutput, int outputLength, Rounding rounding) {
        Check.notNull("rounding", rounding);
        Check.inRange("shift", shift, FixedPoint.MIN_SHIFT, FixedPoint.MAX_SHIFT);
        shape("nOutput", nOutput, "nInput", nInput, "nBatch", nBatch);
        Check.array("input", input, (long) nBatch * nInput, "nBatch * nInput");
        Check.array("bias", bias, nOutput, "nOutput");
        Check.array("inputToGateWeights", weights, (long) nOutput * nInput, "nOutput * nInput");
        Check.length("output", outputLength, (long) nBatch * nOutput, "nBatch * nOutput");
    }

    public static void matrixBatchVectorMultiplyInt8(byte[] input, byte[] weights, int shift, int nBatch,
            int nInput, int nCell, byte[] gateOutput, Rounding rounding) {
        Check.notNull("rounding", rounding);
        Check.inRange("inputToGateEffectiveScaleB", shift, FixedPoint.MIN_SHIFT, FixedPoint.MAX_SHIFT);
        shape("nCell", nCell, "nInput", nInput, "nBatch", nBatch);
        Check.array("input", input, (long) nBatch * nInput, "nBatch * nInput");
        Check.array("inputToGateWeights", weights, (long) nCell * nInput, "nCell * nInput");
        Check.array("gateOutput", gateOutput, (long) nBatch * nCell, "nBatch * nCell");
    }

    public static void matrixBatchVectorMultiplyInt16(short[] hidden, byte[] weights, int multiplier, int shift,
            int[] gateBias, int nBatch, int nHidden, int nOutput, byte[] projOutput) {
        Check.inRange("projEffectiveScaleA", multiplier, 0, Integer.MAX_VALUE);
        Check.inRange("projEffectiveScaleB", shift, FixedPoint.MIN_SHIFT, FixedPoint.MAX_SHIFT_INT64);
        shape("nOutput", nOutput, "nHidden", nHidden, "nBatch", nBatch);
        Check.array("hidden", hidden, (long) nBatch * nHidden, "nBatch * nHidden");
        Check.array("hiddenToOutputWeights", weights, (long) nOutput * nHidden, "nOutput * nHidden");
        Check.array("gateBias", gateBias, nOutput, "nOutput");
        Check.array("projOutput", projOutput, (long) nBatch * nOutput, "nBatch * nOutput");
    }

    /** An int8 clamp range: {@code -128 <= min <= max <= 127}. */
    public static void int8ActivationRange(String minName, int min, String maxName, int max) {
        Check.inRange(minName, min, INT8_MIN, INT8_MAX);
        Check.inRange(maxName, max, min, INT8_MAX);
    }

    /** Per-channel effective scales of the float requantization must each be finite. */
    public static void effectiveScales(String name, double[] scales, int count) {
        for (int i = 0; i < count; i++) {
            Check.finite(name + "[" + i + "]", scales[i]);
        }
    }

    /** Per-channel shifts must each be a valid int32 MBQM shift. */
    public static void shifts(String name, int[] shifts, int count) {
        for (int i = 0; i < count; i++) {
            if (shifts[i] < FixedPoint.MIN_SHIFT || shifts[i] > FixedPoint.MAX_SHIFT) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + shifts[i] + ", expected in ["
                        + FixedPoint.MIN_SHIFT + ", " + FixedPoint.MAX_SHIFT + "]");
            }
        }
    }

    public static void sparse1x16(byte[] matrix, int[] segments, int[] indices, int mRows, int mCols, byte[] vector,
            int[] biasVector, int nBatch, int outputShift, int[] perChannelScale, int[] perChannelShift,
            int outputActivationMin, int outputActivationMax, byte[] result, Rounding rounding) {
        Check.notNull("rounding", rounding);
        matrixBatchShape(mRows, mCols, nBatch);
        Check.multipleOf("mCols", mCols, SPARSE_BLOCK);
        Check.array("segments", segments, (long) mRows + 1, "mRows + 1");
        Check.array("vector", vector, (long) nBatch * mCols, "nBatch * mCols");
        Check.optionalArray("biasVector", biasVector, mRows, "mRows");
        Check.optionalArray("perChannelScale", perChannelScale, mRows, "mRows");
        Check.optionalArray("perChannelShift", perChannelShift, mRows, "mRows");
        if (perChannelShift != null) {
            shifts("perChannelShift", perChannelShift, mRows);
        } else {
            Check.inRange("outputShift", outputShift, FixedPoint.MIN_SHIFT, FixedPoint.MAX_SHIFT);
        }
        int8ActivationRange("outputActivationMin", outputActivationMin, "outputActivationMax", outputActivationMax);
        Check.array("result", result, (long) nBatch * mRows, "nBatch * mRows");
        Check.nonNegative("segments[0]", segments[0]);
        for (int r = 0; r < mRows; r++) {
            if (segments[r + 1] < segments[r]) {
                throw new IllegalArgumentException("segments[" + (r + 1) + "] = " + segments[r + 1]
                        + ", expected >= segments[" + r + "] = " + segments[r] + " (segments must not decrease)");
            }
        }
        int first = segments[0];
        int end = segments[mRows];
        Check.array("indices", indices, end, "segments[mRows]");
        Check.array("matrix", matrix, (long) SPARSE_BLOCK * (end - first), "16 * (segments[mRows] - segments[0])");
        int blocksPerRow = mCols / SPARSE_BLOCK;
        for (int i = first; i < end; i++) {
            if (indices[i] < 0 || indices[i] >= blocksPerRow) {
                throw new IllegalArgumentException("indices[" + i + "] = " + indices[i] + ", expected in [0, "
                        + (blocksPerRow - 1) + "] (mCols / 16 blocks per row)");
            }
        }
    }

    /**
     * Validates a 1x16 ledger (per row: an unsigned block count, then that many unsigned block indices)
     * and returns the total number of blocks, i.e. the number of 16-byte blocks {@code matrix} must hold.
     */
    public static int sparseLedger(byte[] matrix, byte[] ledger, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale) {
        matrixBatchShape(mRows, mCols, nBatch);
        Check.multipleOf("mCols", mCols, SPARSE_BLOCK);
        Check.notNull("ledger", ledger);
        Check.notNull("matrix", matrix);
        Check.array("vectors", vectors, (long) nBatch * mCols, "nBatch * mCols");
        Check.array("scalingFactors", scalingFactors, nBatch, "nBatch");
        Check.array("result", result, (long) nBatch * mRows, "nBatch * mRows");
        Check.optionalArray("perChannelScale", perChannelScale, mRows, "mRows");
        int blocksPerRow = mCols / SPARSE_BLOCK;
        int pos = 0;
        int blocks = 0;
        for (int r = 0; r < mRows; r++) {
            // the messages are built only on failure: a string per row would allocate on every valid call
            if (ledger.length < pos + 1L) {
                Check.length("ledger", ledger.length, pos + 1L, "ledger entry of row " + r);
            }
            int count = Byte.toUnsignedInt(ledger[pos++]);
            if (ledger.length < (long) pos + count) {
                Check.length("ledger", ledger.length, (long) pos + count, count + " block indices of row " + r);
            }
            for (int i = 0; i < count; i++, pos++) {
                int index = Byte.toUnsignedInt(ledger[pos]);
                if (index >= blocksPerRow) {
                    throw new IllegalArgumentException("ledger[" + pos + "] = " + index + " (row " + r
                            + "), expected a block index in [0, " + (blocksPerRow - 1) + "]");
                }
            }
            blocks += count;
        }
        Check.length("matrix", matrix.length, (long) SPARSE_BLOCK * blocks, "16 * blocks listed in ledger");
        return blocks;
    }

    public static void reductionSumVector(byte[] input, int[] output, int outputSize, int reductionSize) {
        Check.nonNegative("outputSize", outputSize);
        Check.nonNegative("reductionSize", reductionSize);
        Check.array("input", input, (long) outputSize * reductionSize, "outputSize * reductionSize");
        Check.array("output", output, outputSize, "outputSize");
    }

    public static void matrixScalarMultiplyAccumulate(byte[] matrix, int nRow, int nCol, int[] output) {
        Check.nonNegative("nRow", nRow);
        Check.nonNegative("nCol", nCol);
        Check.array("matrix", matrix, (long) nRow * nCol, "nRow * nCol");
        Check.array("output", output, nRow, "nRow");
    }

    public static void vectorScalarMultiply(byte[] vector, int vSize, float[] result) {
        Check.nonNegative("vSize", vSize);
        Check.array("vector", vector, vSize, "vSize");
        Check.array("result", result, vSize, "vSize");
    }

    /** Shapes of {@code reference_integer_ops::FullyConnected} (docs/semantics.md §4.2). */
    public static void fullyConnected(byte[] input, int batches, int accumDepth, byte[] filter, int outputDepth,
            int[] bias, byte[] output, int activationMin, int activationMax, Rounding rounding) {
        Check.notNull("rounding", rounding);
        fullyConnected(input, batches, accumDepth, filter, outputDepth, bias, output, activationMin, activationMax);
    }

    /** The shape, array and clamp checks of both FC forms (fixed point and float requantization). */
    public static void fullyConnected(byte[] input, int batches, int accumDepth, byte[] filter, int outputDepth,
            int[] bias, byte[] output, int activationMin, int activationMax) {
        Check.nonNegative("batches", batches);
        Check.nonNegative("accumDepth", accumDepth);
        Check.nonNegative("outputDepth", outputDepth);
        int8ActivationRange("activationMin", activationMin, "activationMax", activationMax);
        Check.array("input", input, (long) batches * accumDepth, "batches * accumDepth");
        Check.array("filter", filter, (long) outputDepth * accumDepth, "outputDepth * accumDepth");
        Check.optionalArray("bias", bias, outputDepth, "outputDepth");
        Check.array("output", output, (long) batches * outputDepth, "batches * outputDepth");
    }
}
