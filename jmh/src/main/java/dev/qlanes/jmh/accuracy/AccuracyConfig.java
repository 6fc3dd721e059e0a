package dev.qlanes.jmh.accuracy;

import java.util.List;

/**
 * What the report measures. {@link #standard()} is the published configuration; tests use smaller ones.
 *
 * @param inputSizes       layer input sizes (the dot-product length), in report order
 * @param units            output channels per layer
 * @param calibrationBatch rows used only to choose the full-integer ranges
 * @param evaluationBatch  rows every path is measured on
 * @param rowScaleSpread   see {@link DataGenerator#DEFAULT_ROW_SCALE_SPREAD}
 * @param seed             everything random derives from it
 */
public record AccuracyConfig(List<Integer> inputSizes, int units, int calibrationBatch, int evaluationBatch,
        List<WeightDistribution> weightDistributions, List<InputDistribution> inputDistributions,
        double rowScaleSpread, long seed) {

    public AccuracyConfig {
        inputSizes = List.copyOf(inputSizes);
        weightDistributions = List.copyOf(weightDistributions);
        inputDistributions = List.copyOf(inputDistributions);
        if (inputSizes.isEmpty() || weightDistributions.isEmpty() || inputDistributions.isEmpty()) {
            throw new IllegalArgumentException("need at least one input size and one distribution of each kind");
        }
        if (units <= 0 || calibrationBatch <= 0 || evaluationBatch <= 0 || inputSizes.stream().anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("sizes and batches must be positive");
        }
    }

    /** Input sizes 64, 256, 1024 and 4096, 256 units, 64 calibration and 64 evaluation rows, all distributions. */
    public static AccuracyConfig standard() {
        return new AccuracyConfig(List.of(64, 256, 1024, 4096), 256, 64, 64, List.of(WeightDistribution.values()),
                List.of(InputDistribution.values()), DataGenerator.DEFAULT_ROW_SCALE_SPREAD, 0x5EED_2018L);
    }

    /** The same data for a different list of input sizes. */
    public AccuracyConfig withInputSizes(List<Integer> sizes) {
        return new AccuracyConfig(sizes, units, calibrationBatch, evaluationBatch, weightDistributions,
                inputDistributions, rowScaleSpread, seed);
    }

    /** A smaller configuration (fewer units and rows) with the same structure. */
    public AccuracyConfig withShape(int units, int calibrationBatch, int evaluationBatch) {
        return new AccuracyConfig(inputSizes, units, calibrationBatch, evaluationBatch, weightDistributions,
                inputDistributions, rowScaleSpread, seed);
    }

    /** The seed of one layer: independent of which other layers are in the configuration. */
    long layerSeed(int inputSize, WeightDistribution w, InputDistribution in) {
        return ((seed * 31 + inputSize) * 31 + w.ordinal()) * 31 + in.ordinal();
    }
}
