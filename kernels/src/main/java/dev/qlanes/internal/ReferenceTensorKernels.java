package dev.qlanes.internal;

import dev.qlanes.reference.PortableTensorUtils;
import dev.qlanes.reference.Rounding;

/** The scalar reference as an implementation: the fallback when the Vector API cannot be used. */
public final class ReferenceTensorKernels implements TensorKernels {

    @Override
    public int dotProduct(byte[] a, byte[] b, int length) {
        return PortableTensorUtils.dotProduct(a, b, length);
    }

    @Override
    public float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float[] minMax) {
        return PortableTensorUtils.symmetricQuantizeFloats(values, size, quantized, minMax);
    }

    @Override
    public float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float min, float max) {
        return PortableTensorUtils.symmetricQuantizeFloats(values, size, quantized, min, max);
    }

    @Override
    public float asymmetricQuantizeFloats(float[] values, int size, byte[] quantized, int[] offset) {
        return PortableTensorUtils.asymmetricQuantizeFloats(values, size, quantized, offset);
    }

    @Override
    public void batchQuantizeFloats(float[] floatData, int nBatch, int nData, byte[] quantized,
            float[] scalingFactors, int[] zeroPoints, boolean doAsymmetric) {
        PortableTensorUtils.batchQuantizeFloats(floatData, nBatch, nData, quantized, scalingFactors, zeroPoints,
                doAsymmetric);
    }

    @Override
    public void matrixBatchVectorMultiplyAccumulate(float[] matrix, int mRows, int mCols, float[] vector, int nBatch,
            float[] result) {
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, mRows, mCols, vector, nBatch, result);
    }

    @Override
    public void matrixBatchVectorMultiplyAccumulate(byte[] matrix, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale, int[] inputOffset,
            int[] rowSums) {
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(matrix, mRows, mCols, vectors, scalingFactors, nBatch,
                result, perChannelScale, inputOffset, rowSums);
    }

    @Override
    public void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, short[] output,
            Rounding rounding) {
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(input, bias, inputToGateWeights, multiplier, shift,
                nBatch, nInput, nOutput, outputZp, output, rounding);
    }

    @Override
    public void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, byte[] output,
            Rounding rounding) {
        PortableTensorUtils.matrixBatchVectorMultiplyAccumulate(input, bias, inputToGateWeights, multiplier, shift,
                nBatch, nInput, nOutput, outputZp, output, rounding);
    }

    @Override
    public void matrixBatchVectorMultiply(byte[] input, int inputZeroPoint, byte[] inputToGateWeights,
            int inputToGateEffectiveScaleA, int inputToGateEffectiveScaleB, int nBatch, int nInput, int nCell,
            byte[] gateOutput, byte gateOutputZp, Rounding rounding) {
        PortableTensorUtils.matrixBatchVectorMultiply(input, inputZeroPoint, inputToGateWeights,
                inputToGateEffectiveScaleA, inputToGateEffectiveScaleB, nBatch, nInput, nCell, gateOutput,
                gateOutputZp, rounding);
    }

    @Override
    public void matrixBatchVectorMultiply(short[] hidden, byte[] hiddenToOutputWeights, int projEffectiveScaleA,
            int projEffectiveScaleB, int[] gateBias, int nBatch, int nHidden, int nOutput, int outputZp,
            byte[] projOutput) {
        PortableTensorUtils.matrixBatchVectorMultiply(hidden, hiddenToOutputWeights, projEffectiveScaleA,
                projEffectiveScaleB, gateBias, nBatch, nHidden, nOutput, outputZp, projOutput);
    }

    @Override
    public void sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[] matrix, int[] segments, int[] indices, int mRows,
            int mCols, byte[] vector, int[] biasVector, int nBatch, int inputOffset, int outputMultiplier,
            int outputShift, int[] perChannelScale, int[] perChannelShift, int outputOffset, int outputActivationMin,
            int outputActivationMax, byte[] result, Rounding rounding) {
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate1x16(matrix, segments, indices, mRows, mCols,
                vector, biasVector, nBatch, inputOffset, outputMultiplier, outputShift, perChannelScale,
                perChannelShift, outputOffset, outputActivationMin, outputActivationMax, result, rounding);
    }

    @Override
    public void sparseMatrixBatchVectorMultiplyAccumulate(byte[] matrix, byte[] ledger, int mRows, int mCols,
            byte[] vectors, float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale) {
        PortableTensorUtils.sparseMatrixBatchVectorMultiplyAccumulate(matrix, ledger, mRows, mCols, vectors,
                scalingFactors, nBatch, result, perChannelScale);
    }

    @Override
    public void reductionSumVector(byte[] input, int[] output, int outputSize, int reductionSize) {
        PortableTensorUtils.reductionSumVector(input, output, outputSize, reductionSize);
    }

    @Override
    public void matrixScalarMultiplyAccumulate(byte[] matrix, int scalar, int nRow, int nCol, int[] output) {
        PortableTensorUtils.matrixScalarMultiplyAccumulate(matrix, scalar, nRow, nCol, output);
    }

    @Override
    public void vectorScalarMultiply(byte[] vector, int vSize, float scale, float[] result) {
        PortableTensorUtils.vectorScalarMultiply(vector, vSize, scale, result);
    }

    @Override
    public boolean isZeroVector(float[] vector, int vSize) {
        return PortableTensorUtils.isZeroVector(vector, vSize);
    }
}
