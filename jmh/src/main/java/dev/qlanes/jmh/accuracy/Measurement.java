package dev.qlanes.jmh.accuracy;

/**
 * One path on one layer, measured on the evaluation batch against the double-precision float result.
 *
 * @param clippedFraction share of outputs outside the calibrated int8 output range (full-integer only, else NaN)
 * @param gridSnrDb       the SNR that rounding alone onto the output grid {@code S3·(q − Z3)} would leave,
 *                        {@code 10·log10(mean(t²) / (S3²/12))} (full-integer only, else NaN): the ceiling
 *                        an 8-bit output puts on this layer, however exact everything before it is
 */
public record Measurement(int inputSize, int units, WeightDistribution weightDistribution,
        InputDistribution inputDistribution, AccuracyPath path, Metrics metrics, double clippedFraction,
        double gridSnrDb) {

    /** Whether this measurement belongs to the given distribution pair. */
    public boolean is(WeightDistribution w, InputDistribution in) {
        return weightDistribution == w && inputDistribution == in;
    }
}
