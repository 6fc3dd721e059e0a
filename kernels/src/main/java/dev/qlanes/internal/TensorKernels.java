package dev.qlanes.internal;

import dev.qlanes.reference.Rounding;

/**
 * One implementation of every {@code TensorUtils} operation. Arguments have been validated by the facade
 * ({@code dev.qlanes.reference.internal.Validate}) before any method here is called; implementations must
 * return exactly what {@code PortableTensorUtils} returns, bit for bit.
 */
public interface TensorKernels {

    int dotProduct(byte[] a, byte[] b, int length);

    /** Symmetric quantization with the range from the data; writes {@code [min, max]} to {@code minMax} when non-null. */
    float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float[] minMax);

    float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float min, float max);

    float asymmetricQuantizeFloats(float[] values, int size, byte[] quantized, int[] offset);

    void batchQuantizeFloats(float[] floatData, int nBatch, int nData, byte[] quantized, float[] scalingFactors,
            int[] zeroPoints, boolean doAsymmetric);

    void matrixBatchVectorMultiplyAccumulate(float[] matrix, int mRows, int mCols, float[] vector, int nBatch,
            float[] result);

    void matrixBatchVectorMultiplyAccumulate(byte[] matrix, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale, int[] inputOffset,
            int[] rowSums);

    void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights, int multiplier,
            int shift, int nBatch, int nInput, int nOutput, int outputZp, short[] output, Rounding rounding);

    void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights, int multiplier,
            int shift, int nBatch, int nInput, int nOutput, int outputZp, byte[] output, Rounding rounding);

    void matrixBatchVectorMultiply(byte[] input, int inputZeroPoint, byte[] inputToGateWeights,
            int inputToGateEffectiveScaleA, int inputToGateEffectiveScaleB, int nBatch, int nInput, int nCell,
            byte[] gateOutput, byte gateOutputZp, Rounding rounding);

    void matrixBatchVectorMultiply(short[] hidden, byte[] hiddenToOutputWeights, int projEffectiveScaleA,
            int projEffectiveScaleB, int[] gateBias, int nBatch, int nHidden, int nOutput, int outputZp,
            byte[] projOutput);

    void sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[] matrix, int[] segments, int[] indices, int mRows,
            int mCols, byte[] vector, int[] biasVector, int nBatch, int inputOffset, int outputMultiplier,
            int outputShift, int[] perChannelScale, int[] perChannelShift, int outputOffset, int outputActivationMin,
            int outputActivationMax, byte[] result, Rounding rounding);

    void sparseMatrixBatchVectorMultiplyAccumulate(byte[] matrix, byte[] ledger, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale);

    void reductionSumVector(byte[] input, int[] output, int outputSize, int reductionSize);

    void matrixScalarMultiplyAccumulate(byte[] matrix, int scalar, int nRow, int nCol, int[] output);

    void vectorScalarMultiply(byte[] vector, int vSize, float scale, float[] result);

    boolean isZeroVector(float[] vector, int vSize);
}
