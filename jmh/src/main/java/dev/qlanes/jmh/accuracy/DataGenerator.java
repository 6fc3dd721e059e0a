package dev.qlanes.jmh.accuracy;

import java.util.SplittableRandom;

/**
 * Generates reproducible {@link LayerCase}s: the same seed and parameters give the same floats on every
 * JVM ({@link SplittableRandom} is specified bit for bit).
 */
public final class DataGenerator {
    /**
     * Standard deviation of the natural log of the per-row weight scale. 0.75 puts most row scales within
     * a factor of about 4.5 of each other and the extremes of a 256-row layer about 20× apart, the kind of
     * spread per-channel quantization exists for.
     */
    public static final double DEFAULT_ROW_SCALE_SPREAD = 0.75;

    private DataGenerator() {}

    /**
     * A layer whose weights are {@code rowScale[r] · sample / √inputSize}, so that outputs are of order 1
     * whatever the input size, with {@code rowScale = exp(rowScaleSpread · N(0,1))}; the bias is about a
     * tenth of the typical output of its row.
     */
    public static LayerCase generate(int inputSize, int units, int calibrationBatch, int evaluationBatch,
            WeightDistribution weights, InputDistribution inputs, double rowScaleSpread, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[units * inputSize];
        float[] bias = new float[units];
        double norm = 1.0 / Math.sqrt(inputSize);
        for (int r = 0; r < units; r++) {
            double rowScale = Math.exp(rowScaleSpread * random.nextGaussian());
            for (int c = 0; c < inputSize; c++) {
                w[r * inputSize + c] = (float) (rowScale * norm * weights.sample(random));
            }
            bias[r] = (float) (0.1 * rowScale * random.nextGaussian());
        }
        boolean[] outlierChannels = inputs.outlierChannels(inputSize, random);
        float[] calibration = new float[calibrationBatch * inputSize];
        float[] evaluation = new float[evaluationBatch * inputSize];
        // Separate streams: the evaluation batch does not depend on the calibration batch size.
        inputs.fill(calibration, calibrationBatch, inputSize, outlierChannels, random.split());
        inputs.fill(evaluation, evaluationBatch, inputSize, outlierChannels, random.split());
        return new LayerCase(inputSize, units, weights, inputs, w, bias, calibration, calibrationBatch, evaluation,
                evaluationBatch);
    }
}
