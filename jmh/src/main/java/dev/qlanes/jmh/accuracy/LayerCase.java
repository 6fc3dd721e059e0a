package dev.qlanes.jmh.accuracy;

/**
 * One fully-connected layer with its data: float weights {@code [units][inputSize]} (row-major, as
 * TFLite's filter), a float bias, a calibration batch (used only to choose the full-integer input and
 * output ranges, like a converter's representative dataset) and a separate evaluation batch on which
 * every path is measured.
 *
 * @param calibration {@code [calibrationBatch][inputSize]}
 * @param evaluation  {@code [evaluationBatch][inputSize]}
 */
public record LayerCase(int inputSize, int units, WeightDistribution weightDistribution,
        InputDistribution inputDistribution, float[] weights, float[] bias, float[] calibration,
        int calibrationBatch, float[] evaluation, int evaluationBatch) {

    /** A short name such as {@code "Gaussian weights, ReLU (half-normal) inputs"}. */
    public String distributionLabel() {
        return weightDistribution.label() + " weights, " + inputDistribution.label() + " inputs";
    }
}
