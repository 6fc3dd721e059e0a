package dev.qlanes.reference;

import dev.qlanes.reference.internal.Check;
import dev.qlanes.reference.internal.Validate;

/**
 * TFLite's {@code tensor_utils} int8 kernels as plain loops: the executable form of docs/semantics.md and the
 * bit-exact oracle for every vector kernel. Method names and argument order follow TFLite's
 * {@code Portable*} functions; pointers become arrays that start at index 0, and scratch/context
 * arguments are dropped. Layouts are row-major: {@code matrix[r][c]} at {@code r * mCols + c},
 * {@code vectors[b][c]} at {@code b * mCols + c}, {@code result[b][r]} at {@code b * mRows + r}.
 *
 * <p>Every method validates all its arguments before it touches any array: null arrays that are not
 * documented as nullable throw {@link NullPointerException}, negative sizes and out-of-range shifts
 * {@link IllegalArgumentException}, arrays too short for the shape {@link IndexOutOfBoundsException};
 * the message names the argument, its value and the expected range, and no output has been written.
 *
 * <p>Two deliberate choices where TFLite builds disagree (docs/semantics.md §7): NaN and out-of-range float to
 * int conversions give {@code INT32_MIN} as on x86-64 (§8), so quantizers produce the bytes desktop
 * TFLite produces; and the hybrid product honours {@code perChannelScale} also when {@code inputOffset}
 * is null, as TFLite's x86 build does (the portable build's silent drop, §3.4 item 1, is a known bug).
 */
public final class PortableTensorUtils {
    private PortableTensorUtils() {}

    /** Exact int32 dot product of {@code a[0..length)} and {@code b[0..length)}, wrapping on overflow. */
    public static int dotProduct(byte[] a, byte[] b, int length) {
        Validate.dotProduct(a, b, length);
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /**
     * {@code SymmetricQuantizeFloats} with the range taken from the data (§2.1): min/max as
     * {@code std::minmax_element} finds them, then {@link #symmetricQuantizeFloats(float[], int, byte[], float, float)}.
     *
     * @param minMax nullable; receives {@code [min, max]} of the data when given (length ≥ 2) and
     *               {@code size > 0}; an empty input writes nothing and returns 1
     * @return the scaling factor {@code range / 127}, or {@code 1.0f} for an all-zero (or empty) input
     */
    public static float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float[] minMax) {
        Validate.symmetricQuantizeFloats(values, size, quantized, minMax);
        if (size == 0) {
            return 1.0f; // TFLite dereferences an empty range; here nothing is written
        }
        long packed = InputQuantizer.minMaxIndices(values, 0, size);
        float min = values[InputQuantizer.minIndex(packed)];
        float max = values[InputQuantizer.maxIndex(packed)];
        if (minMax != null) {
            minMax[0] = min;
            minMax[1] = max;
        }
        return symmetricQuantizeRow(values, 0, size, quantized, min, max);
    }

    /**
     * {@code SymmetricQuantizeFloats} with a given (e.g. calibrated) range (§2.1): {@code range =
     * max(|min|, |max|)}; a zero range writes zeros and returns 1; otherwise each value becomes
     * {@code clamp(trunc(round(v * (127 / range))), -127, 127)}. Never produces -128.
     *
     * @return the scaling factor {@code range / 127}, or {@code 1.0f} when the range is zero
     */
    public static float symmetricQuantizeFloats(float[] values, int size, byte[] quantized, float min, float max) {
        Validate.quantizeFloats(values, size, quantized);
        return symmetricQuantizeRow(values, 0, size, quantized, min, max);
    }

    private static float symmetricQuantizeRow(float[] values, int offset, int size, byte[] quantized, float min,
            float max) {
        float range = InputQuantizer.symmetricRange(min, max);
        if (range == 0.0f) {
            java.util.Arrays.fill(quantized, offset, offset + size, (byte) 0);
            return 1.0f;
        }
        float inverse = InputQuantizer.symmetricInverse(range);
        for (int i = offset; i < offset + size; i++) {
            quantized[i] = InputQuantizer.symmetricQuantize(values[i], inverse);
        }
        return InputQuantizer.symmetricScalingFactor(range);
    }

    private static float symmetricQuantizeRow(float[] values, int offset, int size, byte[] quantized) {
        if (size == 0) {
            return 1.0f;
        }
        long packed = InputQuantizer.minMaxIndices(values, offset, size);
        float min = values[offset + InputQuantizer.minIndex(packed)];
        float max = values[offset + InputQuantizer.maxIndex(packed)];
        return symmetricQuantizeRow(values, offset, size, quantized, min, max);
    }

    /**
     * {@code AsymmetricQuantizeFloats} (§2.2): the range {@code [min(0, min), max(0, max)]} is mapped onto
     * int8 with a nudged zero point; each value becomes {@code clamp(trunc(round(zp + v * inv)), -128, 127)}.
     * All-positive inputs get zero point -128, all-negative 127; an all-zero input gives zeros, scale 1,
     * zero point 0.
     *
     * @param offset receives the zero point in {@code offset[0]}
     * @return the scaling factor
     */
    public static float asymmetricQuantizeFloats(float[] values, int size, byte[] quantized, int[] offset) {
        Validate.asymmetricQuantizeFloats(values, size, quantized, offset);
        return asymmetricQuantizeRow(values, 0, size, quantized, offset, 0);
    }

    private static float asymmetricQuantizeRow(float[] values, int offset, int size, byte[] quantized,
            int[] zeroPoints, int zeroPointIndex) {
        float min = 0.0f;
        float max = 0.0f;
        if (size > 0) {
            long packed = InputQuantizer.minMaxIndices(values, offset, size);
            min = values[offset + InputQuantizer.minIndex(packed)];
            max = values[offset + InputQuantizer.maxIndex(packed)];
        }
        double rmin = InputQuantizer.asymmetricRangeMin(min);
        double rmax = InputQuantizer.asymmetricRangeMax(max);
        if (rmin == rmax) {
            java.util.Arrays.fill(quantized, offset, offset + size, (byte) 0);
            zeroPoints[zeroPointIndex] = 0;
            return 1.0f;
        }
        double scale = InputQuantizer.asymmetricScale(rmin, rmax);
        int zeroPoint = InputQuantizer.asymmetricZeroPoint(rmin, rmax, scale);
        float scalingFactor = (float) scale;
        float inverse = InputQuantizer.asymmetricInverse(scalingFactor);
        for (int i = offset; i < offset + size; i++) {
            quantized[i] = InputQuantizer.asymmetricQuantize(values[i], inverse, zeroPoint);
        }
        zeroPoints[zeroPointIndex] = zeroPoint;
        return scalingFactor;
    }

    /**
     * {@code BatchQuantizeFloats} (§2.3): each of the {@code nBatch} rows of {@code nData} floats is quantized
     * on its own, asymmetrically (§2.2) or symmetrically with the range from the data (§2.1).
     *
     * @param zeroPoints receives each row's zero point; required when {@code doAsymmetric}, nullable
     *                   otherwise, and then set to 0 per row when given
     */
    public static void batchQuantizeFloats(float[] floatData, int nBatch, int nData, byte[] quantized,
            float[] scalingFactors, int[] zeroPoints, boolean doAsymmetric) {
        Validate.batchQuantizeFloats(floatData, nBatch, nData, quantized, scalingFactors, zeroPoints, doAsymmetric);
        for (int b = 0; b < nBatch; b++) {
            int offset = b * nData;
            if (doAsymmetric) {
                scalingFactors[b] = asymmetricQuantizeRow(floatData, offset, nData, quantized, zeroPoints, b);
            } else {
                scalingFactors[b] = symmetricQuantizeRow(floatData, offset, nData, quantized);
                if (zeroPoints != null) {
                    zeroPoints[b] = 0;
                }
            }
        }
    }

    /**
     * Float {@code MatrixBatchVectorMultiplyAccumulate} (§3.1): for each batch and row, a float dot product
     * summed in increasing column order, each product and sum rounded to float, then added to the result.
     */
    public static void matrixBatchVectorMultiplyAccumulate(float[] matrix, int mRows, int mCols, float[] vector,
            int nBatch, float[] result) {
        Validate.floatMatrixBatchVector(matrix, mRows, mCols, vector, nBatch, result);
        for (int b = 0; b < nBatch; b++) {
            for (int r = 0; r < mRows; r++) {
                float dot = 0.0f;
                for (int c = 0; c < mCols; c++) {
                    dot += matrix[r * mCols + c] * vector[b * mCols + c];
                }
                result[b * mRows + r] += dot;
            }
        }
    }

    /**
     * Hybrid {@code MatrixBatchVectorMultiplyAccumulate} (§3.2): {@code result[b][r] += (float) dot *
     * scalingFactors[b]}, with {@code dot} the exact (wrapping) int32 product of row {@code r} and vector {@code b}.
     */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] matrix, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result) {
        matrixBatchVectorMultiplyAccumulate(matrix, mRows, mCols, vectors, scalingFactors, nBatch, result,
                null, null, null);
    }

    /**
     * Hybrid {@code MatrixBatchVectorMultiplyAccumulate} with zero points, per-channel scales and row sums
     * (§3.4), the overload hybrid FULLY_CONNECTED uses:
     * <pre>
     *   scale = perChannelScale == null ? scalingFactors[b] : fl32(scalingFactors[b] * perChannelScale[r])
     *   dot   = Σ_c matrix[r][c] * vectors[b][c]  -  (inputOffset == null ? 0 : rowSums[r] * inputOffset[b])   (int32)
     *   result[b][r] = fl32(result[b][r] + fl32((float) dot * scale))
     * </pre>
     * Unlike TFLite's portable build, {@code perChannelScale} is honoured also when {@code inputOffset}
     * is null, as TFLite's x86 build does (the portable drop is a known bug, §3.4 item 1, §9).
     *
     * @param perChannelScale nullable, length ≥ mRows
     * @param inputOffset     nullable, length ≥ nBatch: the zero point of each batch vector
     * @param rowSums         nullable, length ≥ mRows: when null and {@code inputOffset} is given, the row sums
     *                        are computed; when given, they are used as they are (TFLite's cached row sums,
     *                        which go stale if the matrix changes)
     */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] matrix, int mRows, int mCols, byte[] vectors,
            float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale, int[] inputOffset,
            int[] rowSums) {
        Validate.hybridMatrixBatchVector(matrix, mRows, mCols, vectors, scalingFactors, nBatch, result,
                perChannelScale, inputOffset, rowSums);
        for (int b = 0; b < nBatch; b++) {
            for (int r = 0; r < mRows; r++) {
                float scale = scalingFactors[b];
                if (perChannelScale != null) {
                    scale *= perChannelScale[r];
                }
                int dot = 0;
                for (int c = 0; c < mCols; c++) {
                    dot += matrix[r * mCols + c] * vectors[b * mCols + c];
                }
                if (inputOffset != null) {
                    int rowSum = rowSums != null ? rowSums[r] : rowSum(matrix, r, mCols);
                    dot -= rowSum * inputOffset[b];
                }
                result[b * mRows + r] += (float) dot * scale;
            }
        }
    }

    private static int rowSum(byte[] matrix, int row, int mCols) {
        int sum = 0;
        for (int c = 0; c < mCols; c++) {
            sum += matrix[row * mCols + c];
        }
        return sum;
    }

    /**
     * Full-integer {@code MatrixBatchVectorMultiplyAccumulate} with int16 outputs (§3.6), double rounding.
     * See {@link #matrixBatchVectorMultiplyAccumulate(byte[], int[], byte[], int, int, int, int, int, int, short[], Rounding)}.
     */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, short[] output) {
        matrixBatchVectorMultiplyAccumulate(input, bias, inputToGateWeights, multiplier, shift, nBatch, nInput,
                nOutput, outputZp, output, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * Full-integer {@code MatrixBatchVectorMultiplyAccumulate} with int16 outputs (§3.6):
     * {@code acc = MBQM(bias[r] + Σ_c input[b][c] * w[r][c], multiplier, shift) + outputZp + output[b][r]},
     * clamped to int16. The previous output is added <em>after</em> requantization; the input zero point is
     * assumed 0 (fold it into {@code bias}). All int32 arithmetic wraps.
     *
     * @param shift in {@code [-31, 30]}
     */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, short[] output,
            Rounding rounding) {
        Validate.integerMatrixBatchVectorAccumulate(input, bias, inputToGateWeights, shift, nBatch, nInput, nOutput,
                output, rounding);
        for (int b = 0; b < nBatch; b++) {
            for (int r = 0; r < nOutput; r++) {
                int acc = requantizedAccumulator(input, bias, inputToGateWeights, multiplier, shift, nInput, b, r,
                        outputZp, rounding) + output[b * nOutput + r];
                output[b * nOutput + r] = (short) Math.min(Short.MAX_VALUE, Math.max(Short.MIN_VALUE, acc));
            }
        }
    }

    /** Full-integer MBVMA with int8 outputs (§3.6), double rounding. */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, byte[] output) {
        matrixBatchVectorMultiplyAccumulate(input, bias, inputToGateWeights, multiplier, shift, nBatch, nInput,
                nOutput, outputZp, output, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * Full-integer MBVMA with int8 outputs (§3.6): as the int16 form, clamped to int8.
     *
     * @param shift in {@code [-31, 30]}
     */
    public static void matrixBatchVectorMultiplyAccumulate(byte[] input, int[] bias, byte[] inputToGateWeights,
            int multiplier, int shift, int nBatch, int nInput, int nOutput, int outputZp, byte[] output,
            Rounding rounding) {
        Validate.integerMatrixBatchVectorAccumulate(input, bias, inputToGateWeights, shift, nBatch, nInput, nOutput,
                output, rounding);
        for (int b = 0; b < nBatch; b++) {
            for (int r = 0; r < nOutput; r++) {
                int acc = requantizedAccumulator(input, bias, inputToGateWeights, multiplier, shift, nInput, b, r,
                        outputZp, rounding) + output[b * nOutput + r];
                output[b * nOutput + r] = (byte) Math.min(Byte.MAX_VALUE, Math.max(Byte.MIN_VALUE, acc));
            }
        }
    }

    /** {@code MBQM(bias[r] + dot(input[b], w[r])) + outputZp}, the shared body of the two §3.6 forms. */
    private static int requantizedAccumulator(byte[] input, int[] bias, byte[] weights, int multiplier, int shift,
            int nInput, int b, int r, int outputZp, Rounding rounding) {
        int acc = bias[r];
        for (int c = 0; c < nInput; c++) {
            acc += input[b * nInput + c] * weights[r * nInput + c];
        }
        return FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier, shift, rounding) + outputZp;
    }

    /** {@code MatrixBatchVectorMultiply} with int8 input (§3.7), double rounding. */
    public static void matrixBatchVectorMultiply(byte[] input, int inputZeroPoint, byte[] inputToGateWeights,
            int inputToGateEffectiveScaleA, int inputToGateEffectiveScaleB, int nBatch, int nInput, int nCell,
            byte[] gateOutput, byte gateOutputZp) {
        matrixBatchVectorMultiply(input, inputZeroPoint, inputToGateWeights, inputToGateEffectiveScaleA,
                inputToGateEffectiveScaleB, nBatch, nInput, nCell, gateOutput, gateOutputZp, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * {@code MatrixBatchVectorMultiply} with int8 input (§3.7): overwrites
     * {@code gateOutput[b][r] = clamp(MBQM(Σ_c (input[b][c] - inputZeroPoint) * w[r][c], A, B) + gateOutputZp, -128, 127)}.
     *
     * @param inputToGateEffectiveScaleB the shift, in {@code [-31, 30]}
     */
    public static void matrixBatchVectorMultiply(byte[] input, int inputZeroPoint, byte[] inputToGateWeights,
            int inputToGateEffectiveScaleA, int inputToGateEffectiveScaleB, int nBatch, int nInput, int nCell,
            byte[] gateOutput, byte gateOutputZp, Rounding rounding) {
        Validate.matrixBatchVectorMultiplyInt8(input, inputToGateWeights, inputToGateEffectiveScaleB, nBatch, nInput,
                nCell, gateOutput, rounding);
        for (int b = 0; b < nBatch; b++) {
            for (int r = 0; r < nCell; r++) {
                int acc = 0;
                for (int c = 0; c < nInput; c++) {
                    acc += (input[b * nInput + c] - inputZeroPoint) * inputToGateWeights[r * nInput + c];
                }
                acc = FixedPoint.multiplyByQuantizedMultiplier(acc, inputToGateEffectiveScaleA,
                        inputToGateEffectiveScaleB, rounding) + gateOutputZp;
                gateOutput[b * nCell + r] = (byte) Math.min(Byte.MAX_VALUE, Math.max(Byte.MIN_VALUE, acc));
            }
        }
    }

    /**
     * {@code MatrixBatchVectorMultiply} with int16 hidden state (§3.7): overwrites
     * {@code projOutput[b][r] = clamp(MBQM64(gateBias[r] + Σ_c hidden[b][c] * w[r][c], A, B) + outputZp, -128, 127)}
     * with an int64 accumulator (TFLite's overflow-clamping branches cannot trigger in int64) and the
     * 15-bit-multiplier int64 MBQM of §1.4.
     *
     * @param projEffectiveScaleA multiplier in {@code [0, 2^31)}
     * @param projEffectiveScaleB shift in {@code [-31, 7]}
     */
    public static void matrixBatchVectorMultiply(short[] hidden, byte[] hiddenToOutputWeights, int projEffectiveScaleA,
            int projEffectiveScaleB, int[] gateBias, int nBatch, int nHidden, int nOutput, int outputZp,
            byte[] projOutput) {
        Validate.matrixBatchVectorMultiplyInt16(hidden, hiddenToOutputWeights, projEffectiveScaleA, projEffectiveScaleB,
                gateBias, nBatch, nHidden, nOutput, projOutput);
        for (int b = 0; b < nBatch; b++) {
            for (int r = 0; r < nOutput; r++) {
                long acc = gateBias[r];
                for (int c = 0; c < nHidden; c++) {
                    acc += hidden[b * nHidden + c] * hiddenToOutputWeights[r * nHidden + c];
                }
                long out = (long) FixedPoint.multiplyByQuantizedMultiplier(acc, projEffectiveScaleA,
                        projEffectiveScaleB) + outputZp;
                projOutput[b * nOutput + r] = (byte) Math.min(Byte.MAX_VALUE, Math.max(Byte.MIN_VALUE, out));
            }
        }
    }

    /** Full-integer sparse 1x16 product (§3.8), double rounding. */
    public static void sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[] matrix, int[] segments, int[] indices,
            int mRows, int mCols, byte[] vector, int[] biasVector, int nBatch, int inputOffset, int outputMultiplier,
            int outputShift, int[] perChannelScale, int[] perChannelShift, int outputOffset, int outputActivationMin,
            int outputActivationMax, byte[] result) {
        sparseMatrixBatchVectorMultiplyAccumulate1x16(matrix, segments, indices, mRows, mCols, vector, biasVector,
                nBatch, inputOffset, outputMultiplier, outputShift, perChannelScale, perChannelShift, outputOffset,
                outputActivationMin, outputActivationMax, result, Rounding.DOUBLE_ROUNDING);
    }

    /**
     * Full-integer sparse 1x16 product (§3.8). CSR over 16-column blocks: row {@code r} owns blocks
     * {@code segments[r] .. segments[r+1]-1}, block {@code i} covers columns {@code 16*indices[i] .. +15}, and
     * the block values are stored one after another in {@code matrix}. Despite the name it <em>overwrites</em>:
     * {@code result[b][r] = clamp(MBQM(Σ m·v + Σ m·inputOffset + bias[r], M_r, s_r) + outputOffset, min, max)}
     * with {@code M_r, s_r} per channel when those arrays are given.
     *
     * @param biasVector      nullable
     * @param perChannelScale nullable: per-row int32 multipliers replacing {@code outputMultiplier}
     * @param perChannelShift nullable: per-row shifts in {@code [-31, 30]} replacing {@code outputShift}
     */
    public static void sparseMatrixBatchVectorMultiplyAccumulate1x16(byte[] matrix, int[] segments, int[] indices,
            int mRows, int mCols, byte[] vector, int[] biasVector, int nBatch, int inputOffset, int outputMultiplier,
            int outputShift, int[] perChannelScale, int[] perChannelShift, int outputOffset, int outputActivationMin,
            int outputActivationMax, byte[] result, Rounding rounding) {
        Validate.sparse1x16(matrix, segments, indices, mRows, mCols, vector, biasVector, nBatch, outputShift,
                perChannelScale, perChannelShift, outputActivationMin, outputActivationMax, result, rounding);
        for (int b = 0; b < nBatch; b++) {
            int m = 0;
            for (int r = 0; r < mRows; r++) {
                int dot = 0;
                for (int i = segments[r]; i < segments[r + 1]; i++) {
                    int start = b * mCols + indices[i] * Validate.SPARSE_BLOCK;
                    for (int c = 0; c < Validate.SPARSE_BLOCK; c++, m++) {
                        dot += matrix[m] * vector[start + c];
                        dot += matrix[m] * inputOffset;
                    }
                }
                int bias = biasVector != null ? biasVector[r] : 0;
                int multiplier = perChannelScale != null ? perChannelScale[r] : outputMultiplier;
                int shift = perChannelShift != null ? perChannelShift[r] : outputShift;
                int y = FixedPoint.multiplyByQuantizedMultiplier(dot + bias, multiplier, shift, rounding) + outputOffset;
                result[b * mRows + r] = (byte) Math.min(outputActivationMax, Math.max(outputActivationMin, y));
            }
        }
    }

    /**
     * Hybrid sparse product with a 1x16 ledger (§3.8): per row, {@code ledger} holds an unsigned block count
     * followed by that many unsigned block indices; the blocks' values are stored one after another in
     * {@code matrix}. {@code result[b][r] += fl32((float) dot * scale)} with
     * {@code scale = perChannelScale == null ? sf[b] : fl32(sf[b] * perChannelScale[r])}. No zero-point handling.
     *
     * @param ledger          unsigned bytes; {@code mCols} must be a multiple of 16 (and so below 254 * 16 in practice)
     * @param perChannelScale nullable
     */
    public static void sparseMatrixBatchVectorMultiplyAccumulate(byte[] matrix, byte[] ledger, int mRows, int mCols,
            byte[] vectors, float[] scalingFactors, int nBatch, float[] result, float[] perChannelScale) {
        Validate.sparseLedger(matrix, ledger, mRows, mCols, vectors, scalingFactors, nBatch, result, perChannelScale);
        for (int b = 0; b < nBatch; b++) {
            int pos = 0;
            int m = 0;
            for (int r = 0; r < mRows; r++) {
                float scale = scalingFactors[b];
                if (perChannelScale != null) {
                    scale *= perChannelScale[r];
                }
                int dot = 0;
                int count = Byte.toUnsignedInt(ledger[pos++]);
                for (int i = 0; i < count; i++) {
                    int start = b * mCols + Byte.toUnsignedInt(ledger[pos++]) * Validate.SPARSE_BLOCK;
                    for (int c = 0; c < Validate.SPARSE_BLOCK; c++, m++) {
                        dot += matrix[m] * vectors[start + c];
                    }
                }
                result[b * mRows + r] += (float) dot * scale;
            }
        }
    }

    /** {@code ReductionSumVector} for int8 input (§3.9): {@code output[o] = Σ_k input[o * reductionSize + k]} (assigns). */
    public static void reductionSumVector(byte[] input, int[] output, int outputSize, int reductionSize) {
        Validate.reductionSumVector(input, output, outputSize, reductionSize);
        for (int o = 0; o < outputSize; o++) {
            int sum = 0;
            for (int k = 0; k < reductionSize; k++) {
                sum += input[o * reductionSize + k];
            }
            output[o] = sum;
        }
    }

    /** {@code MatrixScalarMultiplyAccumulate} (§3.9): {@code output[r] += scalar * Σ_c matrix[r][c]} (int32, wrapping). */
    public static void matrixScalarMultiplyAccumulate(byte[] matrix, int scalar, int nRow, int nCol, int[] output) {
        Validate.matrixScalarMultiplyAccumulate(matrix, nRow, nCol, output);
        for (int r = 0; r < nRow; r++) {
            output[r] += rowSum(matrix, r, nCol) * scalar;
        }
    }

    /** {@code VectorScalarMultiply} (§3.9): {@code result[i] = fl32(scale * vector[i])} (assigns). */
    public static void vectorScalarMultiply(byte[] vector, int vSize, float scale, float[] result) {
        Validate.vectorScalarMultiply(vector, vSize, result);
        for (int i = 0; i < vSize; i++) {
            result[i] = scale * vector[i];
        }
    }

    /** {@code IsZeroVector} (§3.9): true iff every element {@code == 0.0f} (-0.0 counts as zero, NaN does not). */
    public static boolean isZeroVector(float[] vector, int vSize) {
        Validate.isZeroVector(vector, vSize);
        for (int i = 0; i < vSize; i++) {
            if (vector[i] != 0.0f) {
                return false;
            }
        }
        return true;
    }
}
