package dev.qlanes;

import dev.qlanes.internal.KernelProvider;
import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.Rounding;
import dev.qlanes.reference.internal.Validate;

/**
 * TFLite's {@code tensor_utils} int8 kernels for the JVM, with TFLite's names and argument order, so that
 * code ported from TFLite reads the same. Every method returns exactly, bit for bit, what
 * {@link PortableTensorUtils} (the normative scalar reference, docs/semantics.md) returns, and validates its
 * arguments with the same code before touching any array. It runs the Java Vector API kernels when they
 * can be used, else the reference: {@link Kernels#info()} says which, and why.
 */
public final class TensorUtils {
    private TensorUtils() {}

    /** Same contract and results as {@link PortableTensorUtils#dotProduct(byte[], byte[], int)}. */
    public static int dotProduct(byte[] a, byte[] b, int length) {
        Validate.dotProduct(a, b, length);
        return KernelProvider.tensorKernels().dotProduct(a, b, length);
    }

    /** Same contract and results as {@link PortableTensorUtils#symmetricQuantizeFloats(float[], int, byte[], float[])}. */
    public static float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float[] minMax) {
        Validate.symmetricQuantizeFloats(values, size, quantized, minMax);
        return KernelProvider.tensorKernels().symmetricQuantizeFloats(values, size, quantized, minMax);
    }

    /** Same contract and results as {@link PortableTensorUtils#symmetricQuantizeFloats(float[], int, byte[], float, float)}. */
    public static float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float min, float max) {
        Validate.quantizeFloats(values, size, quantized);
        return KernelProvider.tensorKernels().symmetricQuantizeFloats(values, size, quantized, min, max);
    }

    /** Same contract and results as {@link PortableTensorUtils#asymmetricQuantizeFloats(float[], int, byte[], int[])}. */
    public static float asymmetricQuantizeFloats(float[] values, int size, byte[] quantized, int[] offset) {
        Validate.asymmetricQuantizeFloats(values, size, quantized, offset);
        return KernelProvider.tensorKernels().asymmetricQuantizeFloats(values, size, quantized, offset);
    }

    /** Same contract and results as {@link PortableTensorUtils#batchQuantizeFloats(float[], int, int, byte[], float[], int[], boolean)}. */
    public static void batchQuantizeFloats(float[] floatData, int nBatch, int nData, byte[] quantized,
            float[] scalingFactors, int[] zeroPoints, boolean doAsymmetric) {
        Validate.batchQuantizeFloats(floatData, nBatch, nData, quantized, scalingFactors, zeroPoints, doAsymmetric);
        KernelProvider.tensorKernels().batchQuantizeFloats(floatData, nBatch, nData, quantized, scalingFactors, zeroPoints,
                doAsymmetric);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiplyAccumulate(float[], int, int, float[], int, float[])}. */
    public static void matrixBatchVectorMultiplyAccumulate(float[] matrix, int mRows, int mCols, float[] vector,
            int nBatch, float[] result) {
        Validate.floatMatrixBatchVector(matrix, mRows, mCols, vector, nBatch, result);
        KernelProvider.tensorKernels().matrixBatchVectorMultiplyAccumulate(matrix, mRows, mCols, vector, nBatch, result);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiplyAccumulate(byte[], int, int, byte[], float[], int, float[])}. */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] matrix, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result) {
        matrixBatchVectorMultiplyAccumulate(matrix, mRows, mCols, vectors, scalingFactors, nBatch, result,
                null, null, null);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiplyAccumulate(byte[], int, int, byte[], float[], int, float[], float[], int[], int[])}. */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] matrix, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale, int[] inputOffset,
            int[] rowSums) {
        Validate.hybridMatrixBatchVector(matrix, mRows, mCols, vectors, scalingFactors, nBatch, result,
                perChannelScale, inputOffset, rowSums);
        KernelProvider.tensorKernels().matrixBatchVectorMultiplyAccumulate(matrix, mRows, mCols, vectors, scalingFactors,
                nBatch, result, perChannelScale, inputOffset, rowSums);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiplyAccumulate(byte[], int[], byte[], int, int, int, int, int, int, short[])}. */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, short[] output) {
        matrixBatchVectorMultiplyAccumulate(input, bias, inputToGateWeights, multiplier, shift, nBatch, nInput,
                nOutput, outputZp, output, Rounding.DOUBLE_ROUNDING);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiplyAccumulate(byte[], int[], byte[], int, int, int, int, int, int, short[], Rounding)}. */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, short[] output,
            Rounding rounding) {
        Validate.integerMatrixBatchVectorAccumulate(input, bias, inputToGateWeights, shift, nBatch, nInput, nOutput,
                output, rounding);
        KernelProvider.tensorKernels().matrixBatchVectorMultiplyAccumulate(input, bias, inputToGateWeights, multiplier,
                shift, nBatch, nInput, nOutput, outputZp, output, rounding);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiplyAccumulate(byte[], int[], byte[], int, int, int, int, int, int, byte[])}. */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, byte[] output) {
        matrixBatchVectorMultiplyAccumulate(input, bias, inputToGateWeights, multiplier, shift, nBatch, nInput,
                nOutput, outputZp, output, Rounding.DOUBLE_ROUNDING);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiplyAccumulate(byte[], int[], byte[], int, int, int, int, int, int, byte[], Rounding)}. */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, byte[] output,
            Rounding rounding) {
        Validate.integerMatrixBatchVectorAccumulate(input, bias, inputToGateWeights, shift, nBatch, nInput, nOutput,
                output, rounding);
        KernelProvider.tensorKernels().matrixBatchVectorMultiplyAccumulate(input, bias, inputToGateWeights, multiplier,
                shift, nBatch, nInput, nOutput, outputZp, output, rounding);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiply(byte[], int, byte[], int, int, int, int, int, byte[], byte)}. */
    public static void matrixBatchVectorMultiply(byte[] input, int inputZeroPoint, byte[] inputToGateWeights,
            int inputToGateEffectiveScaleA, int inputToGateEffectiveScaleB, int nBatch, int nInput, int nCell,
            byte[] gateOutput, byte gateOutputZp) {
        matrixBatchVectorMultiply(input, inputZeroPoint, inputToGateWeights, inputToGateEffectiveScaleA,
                inputToGateEffectiveScaleB, nBatch, nInput, nCell, gateOutput, gateOutputZp, Rounding.DOUBLE_ROUNDING);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiply(byte[], int, byte[], int, int, int, int, int, byte[], byte, Rounding)}. */
    public static void matrixBatchVectorMultiply(byte[] input, int inputZeroPoint, byte[] inputToGateWeights,
            int inputToGateEffectiveScaleA, int inputToGateEffectiveScaleB, int nBatch, int nInput, int nCell,
            byte[] gateOutput, byte gateOutputZp, Rounding rounding) {
        Validate.matrixBatchVectorMultiplyInt8(input, inputToGateWeights, inputToGateEffectiveScaleB, nBatch, nInput,
                nCell, gateOutput, rounding);
        KernelProvider.tensorKernels().matrixBatchVectorMultiply(input, inputZeroPoint, inputToGateWeights,
                inputToGateEffectiveScaleA, inputToGateEffectiveScaleB, nBatch, nInput, nCell, gateOutput,
                gateOutputZp, rounding);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixBatchVectorMultiply(short[], byte[], int, int, int[], int, int, int, int, byte[])}. */
    public static void matrixBatchVectorMultiply(short[] hidden, byte[] hiddenToOutputWeights,
            int projEffectiveScaleA, int projEffectiveScaleB, int[] gateBias, int nBatch, int nHidden, int nOutput,
            int outputZp, byte[] projOutput) {
        Validate.matrixBatchVectorMultiplyInt16(hidden, hiddenToOutputWeights, projEffectiveScaleA,
                projEffectiveScaleB, gateBias, nBatch, nHidden, nOutput, projOutput);
        KernelProvider.tensorKernels().matrixBatchVectorMultiply(hidden, hiddenToOutputWeights, projEffectiveScaleA,
                projEffectiveScaleB, gateBias, nBatch, nHidden, nOutput, outputZp, projOutput);
    }

    /** Same contract and results as {@link PortableTensorUtils#sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[], int[], int[], int, int, byte[], int[], int, int, int, int, int[], int[], int, int, int, byte[])}. */
    public static void sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[] matrix, int[] segments, int[] indices,
            int mRows, int mCols, byte[] vector, int[] biasVector, int nBatch, int inputOffset, int outputMultiplier,
            int outputShift, int[] perChannelScale, int[] perChannelShift, int outputOffset, int outputActivationMin,
            int outputActivationMax, byte[] result) {
        sparseMatrixBatchVectorMultiplyAccumulate1x16(matrix, segments, indices, mRows, mCols, vector, biasVector,
                nBatch, inputOffset, outputMultiplier, outputShift, perChannelScale, perChannelShift, outputOffset,
                outputActivationMin, outputActivationMax, result, Rounding.DOUBLE_ROUNDING);
    }

    /** Same contract and results as {@link PortableTensorUtils#sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[], int[], int[], int, int, byte[], int[], int, int, int, int, int[], int[], int, int, int, byte[], Rounding)}. */
    public static void sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[] matrix, int[] segments, int[] indices,
            int mRows, int mCols, byte[] vector, int[] biasVector, int nBatch, int inputOffset, int outputMultiplier,
            int outputShift, int[] perChannelScale, int[] perChannelShift, int outputOffset, int outputActivationMin,
            int outputActivationMax, byte[] result, Rounding rounding) {
        Validate.sparse1x16(matrix, segments, indices, mRows, mCols, vector, biasVector, nBatch, outputShift,
                perChannelScale, perChannelShift, outputActivationMin, outputActivationMax, result, rounding);
        KernelProvider.tensorKernels().sparseMatrixBatchVectorMultiplyAccumulate1x16(matrix, segments, indices, mRows,
                mCols, vector, biasVector, nBatch, inputOffset, outputMultiplier, outputShift, perChannelScale,
                perChannelShift, outputOffset, outputActivationMin, outputActivationMax, result, rounding);
    }

    /** Same contract and results as {@link PortableTensorUtils#sparseMatrixBatchVectorMultiplyAccumulate(byte[], byte[], int, int, byte[], float[], int, float[], float[])}. */
    public static void sparseMatrixBatchVectorMultiplyAccumulate(byte[] matrix, byte[] ledger, int mRows, int mCols,
            byte[] vectors, float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale) {
        Validate.sparseLedger(matrix, ledger, mRows, mCols, vectors, scalingFactors, nBatch, result, perChannelScale);
        KernelProvider.tensorKernels().sparseMatrixBatchVectorMultiplyAccumulate(matrix, ledger, mRows, mCols, vectors,
                scalingFactors, nBatch, result, perChannelScale);
    }

    /** Same contract and results as {@link PortableTensorUtils#reductionSumVector(byte[], int[], int, int)}. */
    public static void reductionSumVector(byte[] input, int[] output, int outputSize, int reductionSize) {
        Validate.reductionSumVector(input, output, outputSize, reductionSize);
        KernelProvider.tensorKernels().reductionSumVector(input, output, outputSize, reductionSize);
    }

    /** Same contract and results as {@link PortableTensorUtils#matrixScalarMultiplyAccumulate(byte[], int, int, int, int[])}. */
    public static void matrixScalarMultiplyAccumulate(byte[] matrix, int scalar, int nRow, int nCol, int[] output) {
        Validate.matrixScalarMultiplyAccumulate(matrix, nRow, nCol, output);
        KernelProvider.tensorKernels().matrixScalarMultiplyAccumulate(matrix, scalar, nRow, nCol, output);
    }

    /** Same contract and results as {@link PortableTensorUtils#vectorScalarMultiply(byte[], int, float, float[])}. */
    public static void vectorScalarMultiply(byte[] vector, int vSize, float scale, float[] result) {
        Validate.vectorScalarMultiply(vector, vSize, result);
        KernelProvider.tensorKernels().vectorScalarMultiply(vector, vSize, scale, result);
    }

    /** Same contract and results as {@link PortableTensorUtils#isZeroVector(float[], int)}. */
    public static boolean isZeroVector(float[] vector, int vSize) {
        Validate.isZeroVector(vector, vSize);
        return KernelProvider.tensorKernels().isZeroVector(vector, vSize);
    }
}
