package dev.qlanes.internal.vector;

import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS;
import static dev.qlanes.internal.vector.VectorShapes.BYTES_FOR_INTS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.FLOATS;
import static dev.qlanes.internal.vector.VectorShapes.FLOATS_CLASS;
import static dev.qlanes.internal.vector.VectorShapes.INTS;
import static dev.qlanes.internal.vector.VectorShapes.INT_GROUPS;
import static dev.qlanes.internal.vector.VectorShapes.LONGS;

import dev.qlanes.internal.TensorKernels;
import dev.qlanes.reference.FixedPoint;
import dev.qlanes.reference.Rounding;
import dev.qlanes.reference.internal.Validate;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Every {@code TensorUtils} operation on Java Vector API kernels at {@link VectorShapes#BITS} bits. Integer
 * work (dot products, row sums, requantization) and the float epilogues run in lanes; per-row quantization
 * parameters and loop tails reuse the scalar reference's own functions. Arguments were validated by the facade.
 * Nothing is allocated per call: accumulators live in this thread's {@link Scratch}.
 * Loaded reflectively by {@code KernelProvider}, so nothing here links unless {@code jdk.incubator.vector} is present.
 */
public final class VectorTensorKernels implements TensorKernels {

    /** The instance {@code KernelProvider} uses; {@link #bitSize()} says which width it runs at. */
    public static VectorTensorKernels create() {
        return new VectorTensorKernels();
    }

    private VectorTensorKernels() {}

    /** The vector width in bits. */
    public int bitSize() {
        return VectorShapes.BITS;
    }

    @Override
    public int dotProduct(byte[] a, byte[] b, int length) {
        return ArrayDotLoops.dot(a, 0, b, 0, length);
    }

    @Override
    public float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float[] minMax) {
        if (size == 0) {
            return 1.0f;
        }
        float[] extremes = Scratch.get().extremes();
        extremes(values, 0, size, extremes);
        if (minMax != null) {
            minMax[0] = extremes[0];
            minMax[1] = extremes[1];
        }
        return VectorFloatQuantizer.symmetricRow(values, 0, size, quantized, extremes[0], extremes[1]);
    }

    /** The row's {@code [min, max]} as {@code std::minmax_element} finds them (zeros for an empty row). */
    private static void extremes(float[] values, int off, int size, float[] extremes) {
        if (size == 0) {
            extremes[0] = 0.0f;
            extremes[1] = 0.0f;
        } else {
            VectorFloatQuantizer.minMax(values, off, size, extremes);
        }
    }

    @Override
    public float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float min, float max) {
        return VectorFloatQuantizer.symmetricRow(values, 0, size, quantized, min, max);
    }

    @Override
    public float asymmetricQuantizeFloats(float[] values, int size, byte[] quantized, int[] offset) {
        return asymmetricRow(values, 0, size, quantized, offset, 0, Scratch.get().extremes());
    }

    private static float asymmetricRow(float[] values, int off, int size, byte[] quantized, int[] zeroPoints,
            int zeroPointIndex, float[] extremes) {
        extremes(values, off, size, extremes);
        return VectorFloatQuantizer.asymmetricRow(values, off, size, quantized, zeroPoints, zeroPointIndex,
                extremes[0], extremes[1]);
    }

    @Override
    public void batchQuantizeFloats(float[] floatData, int nBatch, int nData, byte[] quantized,
            float[] scalingFactors, int[] zeroPoints, boolean doAsymmetric) {
        float[] extremes = Scratch.get().extremes();
        for (int b = 0; b < nBatch; b++) {
            int off = b * nData;
            if (doAsymmetric) {
                scalingFactors[b] = asymmetricRow(floatData, off, nData, quantized, zeroPoints, b, extremes);
            } else {
                extremes(floatData, off, nData, extremes);
                scalingFactors[b] = VectorFloatQuantizer.symmetricRow(floatData, off, nData, quantized, extremes[0],
                        extremes[1]);
                if (zeroPoints != null) {
                    zeroPoints[b] = 0;
                }
            }
        }
    }

    @Override
    public void matrixBatchVectorMultiplyAccumulate(float[] matrix, int mRows, int mCols, float[] vector, int nBatch,
            float[] result) {
        FloatMatrixKernel.multiplyAccumulate(matrix, mRows, mCols, vector, nBatch, result);
    }

    @Override
    public void matrixBatchVectorMultiplyAccumulate(byte[] matrix, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale, int[] inputOffset,
            int[] rowSums) {
        Scratch scratch = Scratch.get();
        int[] dots = scratch.ints(Scratch.DOTS, nBatch * mRows);
        gemv(matrix, mRows, mCols, vectors, nBatch, dots, scratch);
        int[] sums = rowSums;
        if (inputOffset != null && sums == null) {
            sums = scratch.ints(Scratch.ROW_SUMS, mRows);
            ArrayDotLoops.rowSums(matrix, 0, mRows, mCols, sums);
        }
        for (int b = 0; b < nBatch; b++) {
            HybridEpilogue.apply(dots, b * mRows, mRows, 0, scalingFactors[b], perChannelScale,
                    inputOffset != null ? sums : null, inputOffset != null ? inputOffset[b] : 0, result, b * mRows,
                    result, b * mRows);
        }
    }

    /** {@link ArrayDotLoops#gemv} with this thread's widening buffers. */
    private static void gemv(byte[] matrix, int rows, int cols, byte[] vectors, int batch, int[] dots, Scratch scratch) {
        short[] widened = scratch.widened(ArrayDotLoops.packedLength(cols));
        ArrayDotLoops.gemv(matrix, rows, cols, vectors, batch, dots, widened, widened);
    }

    /** {@code bias[r] + dot} for every batch row: the accumulators of §3.6. */
    private static int[] biasedDots(byte[] input, int[] bias, byte[] weights, int nBatch, int nInput, int nOutput) {
        Scratch scratch = Scratch.get();
        int[] acc = scratch.ints(Scratch.DOTS, nBatch * nOutput);
        gemv(weights, nOutput, nInput, input, nBatch, acc, scratch);
        for (int b = 0; b < nBatch; b++) {
            addRows(acc, b * nOutput, bias, 1, nOutput);
        }
        return acc;
    }

    /** {@code acc[off + r] += factor * terms[r]} for {@code r < n}, int32 wrapping. */
    private static void addRows(int[] acc, int off, int[] terms, int factor, int n) {
        int r = 0;
        for (int bound = INTS.loopBound(n); r < bound; r += INTS.length()) {
            IntVector.fromArray(INTS, acc, off + r).add(IntVector.fromArray(INTS, terms, r).mul(factor))
                    .intoArray(acc, off + r);
        }
        for (; r < n; r++) {
            acc[off + r] += factor * terms[r];
        }
    }

    @Override
    public void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, short[] output,
            Rounding rounding) {
        int[] acc = biasedDots(input, bias, inputToGateWeights, nBatch, nInput, nOutput);
        int n = nBatch * nOutput;
        IntegerRequantizer.requantizeInPlace(acc, 0, n, null, 0, multiplier, shift, null, null, 0, rounding, outputZp);
        IntegerRequantizer.toInt16Accumulate(acc, 0, n, output, 0);
    }

    @Override
    public void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, byte[] output,
            Rounding rounding) {
        int[] acc = biasedDots(input, bias, inputToGateWeights, nBatch, nInput, nOutput);
        int n = nBatch * nOutput;
        IntegerRequantizer.requantizeInPlace(acc, 0, n, null, 0, multiplier, shift, null, null, 0, rounding, outputZp);
        IntegerRequantizer.toInt8Accumulate(acc, 0, n, output, 0);
    }

    @Override
    public void matrixBatchVectorMultiply(byte[] input, int inputZeroPoint, byte[] inputToGateWeights,
            int inputToGateEffectiveScaleA, int inputToGateEffectiveScaleB, int nBatch, int nInput, int nCell,
            byte[] gateOutput, byte gateOutputZp, Rounding rounding) {
        // Σ (x - zp)·w = Σ x·w - zp·Σ w, exactly, in wrapping int32
        Scratch scratch = Scratch.get();
        int[] acc = scratch.ints(Scratch.DOTS, nBatch * nCell);
        gemv(inputToGateWeights, nCell, nInput, input, nBatch, acc, scratch);
        int[] rowSums = scratch.ints(Scratch.ROW_SUMS, nCell);
        ArrayDotLoops.rowSums(inputToGateWeights, 0, nCell, nInput, rowSums);
        for (int b = 0; b < nBatch; b++) {
            addRows(acc, b * nCell, rowSums, -inputZeroPoint, nCell);
        }
        int n = nBatch * nCell;
        IntegerRequantizer.requantizeInPlace(acc, 0, n, null, 0, inputToGateEffectiveScaleA, inputToGateEffectiveScaleB,
                null, null, 0, rounding, gateOutputZp);
        IntegerRequantizer.toInt8(acc, 0, n, Byte.MIN_VALUE, Byte.MAX_VALUE, gateOutput, 0);
    }

    @Override
    public void matrixBatchVectorMultiply(short[] hidden, byte[] hiddenToOutputWeights, int projEffectiveScaleA,
            int projEffectiveScaleB, int[] gateBias, int nBatch, int nHidden, int nOutput, int outputZp,
            byte[] projOutput) {
        long[] acc = Scratch.get().longs(nOutput);
        for (int b = 0; b < nBatch; b++) {
            for (int r = 0; r < nOutput; r++) {
                acc[r] = gateBias[r] + Int16DotKernel.dot(hidden, b * nHidden, hiddenToOutputWeights, r * nHidden,
                        nHidden);
            }
            int r = 0;
            for (int bound = LONGS.loopBound(nOutput); r < bound; r += LONGS.length()) {
                VectorFixedPoint.multiplyByQuantizedMultiplier(LongVector.fromArray(LONGS, acc, r), projEffectiveScaleA,
                        projEffectiveScaleB).add(outputZp).max(Byte.MIN_VALUE).min(Byte.MAX_VALUE).intoArray(acc, r);
            }
            for (; r < nOutput; r++) {
                long y = (long) FixedPoint.multiplyByQuantizedMultiplier(acc[r],
                        projEffectiveScaleA, projEffectiveScaleB) + outputZp;
                acc[r] = Math.min(Byte.MAX_VALUE, Math.max(Byte.MIN_VALUE, y));
            }
            for (r = 0; r < nOutput; r++) {
                projOutput[b * nOutput + r] = (byte) acc[r];
            }
        }
    }

    @Override
    public void sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[] matrix, int[] segments, int[] indices, int mRows,
            int mCols, byte[] vector, int[] biasVector, int nBatch, int inputOffset, int outputMultiplier,
            int outputShift, int[] perChannelScale, int[] perChannelShift, int outputOffset, int outputActivationMin,
            int outputActivationMax, byte[] result, Rounding rounding) {
        // every element is assigned below
        int[] acc = Scratch.get().ints(Scratch.DOTS, nBatch * mRows);
        int m = 0;
        for (int r = 0; r < mRows; r++) {
            int rowStart = m;
            int blockSum = 0;
            for (int i = segments[r]; i < segments[r + 1]; i++, m += Validate.SPARSE_BLOCK) {
                blockSum += ArrayDotLoops.sum(matrix, m, Validate.SPARSE_BLOCK);
            }
            int bias = biasVector != null ? biasVector[r] : 0;
            for (int b = 0; b < nBatch; b++) {
                // Σ m·v + Σ m·inputOffset, the second term factored out of the block loop (exact in int32)
                int dot = blockSum * inputOffset + bias;
                int block = rowStart;
                for (int i = segments[r]; i < segments[r + 1]; i++, block += Validate.SPARSE_BLOCK) {
                    dot += BiasedSplit.dotBlock(matrix, block, vector,
                            b * mCols + indices[i] * Validate.SPARSE_BLOCK);
                }
                acc[b * mRows + r] = dot;
            }
        }
        for (int b = 0; b < nBatch; b++) {
            IntegerRequantizer.requantizeInPlace(acc, b * mRows, mRows, null, 0, outputMultiplier, outputShift,
                    perChannelScale, perChannelShift, 0, rounding, outputOffset);
        }
        IntegerRequantizer.toInt8(acc, 0, nBatch * mRows, outputActivationMin, outputActivationMax, result, 0);
    }

    @Override
    public void sparseMatrixBatchVectorMultiplyAccumulate(byte[] matrix, byte[] ledger, int mRows, int mCols,
            byte[] vectors, float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale) {
        int[] dots = Scratch.get().ints(Scratch.DOTS, nBatch * mRows);
        Arrays.fill(dots, 0, nBatch * mRows, 0); // accumulated into below
        int pos = 0;
        int m = 0;
        for (int r = 0; r < mRows; r++) {
            int count = Byte.toUnsignedInt(ledger[pos++]);
            for (int i = 0; i < count; i++, pos++, m += Validate.SPARSE_BLOCK) {
                int column = Byte.toUnsignedInt(ledger[pos]) * Validate.SPARSE_BLOCK;
                for (int b = 0; b < nBatch; b++) {
                    dots[b * mRows + r] += BiasedSplit.dotBlock(matrix, m, vectors, b * mCols + column);
                }
            }
        }
        for (int b = 0; b < nBatch; b++) {
            HybridEpilogue.apply(dots, b * mRows, mRows, 0, scalingFactors[b], perChannelScale, null, 0, result,
                    b * mRows, result, b * mRows);
        }
    }

    @Override
    public void reductionSumVector(byte[] input, int[] output, int outputSize, int reductionSize) {
        for (int o = 0; o < outputSize; o++) {
            output[o] = ArrayDotLoops.sum(input, o * reductionSize, reductionSize);
        }
    }

    @Override
    public void matrixScalarMultiplyAccumulate(byte[] matrix, int scalar, int nRow, int nCol, int[] output) {
        for (int r = 0; r < nRow; r++) {
            output[r] += ArrayDotLoops.sum(matrix, r * nCol, nCol) * scalar;
        }
    }

    @Override
    public void vectorScalarMultiply(byte[] vector, int vSize, float scale, float[] result) {
        int i = 0;
        for (int bound = BYTES_FOR_INTS.loopBound(vSize); i < bound; i += IntLanes.STEP) {
            ByteVector bytes = ByteVector.fromArray(BYTES_FOR_INTS, vector, i);
            for (int g = 0; g < INT_GROUPS; g++) {
                // group g (IntLanes) straight to float lanes (exact: every int8 is a float); the loop-invariant bytes
                // and the converted result cast to their exact classes before a call on them (VectorShapes.INTS_CLASS)
                FLOATS_CLASS.cast(BYTES_FOR_INTS_CLASS.cast(bytes).convertShape(VectorOperators.B2F, FLOATS, g))
                        .mul(scale)
                        .intoArray(result, i + g * FLOATS.length());
            }
        }
        for (; i < vSize; i++) {
            result[i] = scale * vector[i];
        }
    }

    @Override
    public boolean isZeroVector(float[] vector, int vSize) {
        return VectorLayerKernels.allZero(vector, 0, vSize);
    }
}
