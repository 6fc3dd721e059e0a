package dev.qlanes.jmh.accuracy;

import java.util.random.RandomGenerator;

/**
 * Shapes of trained weight matrices. Both have unit variance, so that only the shape (the tails) differs;
 * the per-row scale variation is applied on top by {@link DataGenerator}.
 */
public enum WeightDistribution {
    /** Normal weights: the easy case, max |w| is about 4–5 standard deviations. */
    GAUSSIAN("Gaussian"),
    /**
     * Student-t with 3 degrees of freedom: heavy tails (infinite kurtosis), like weights of trained layers
     * that have a few very large entries. The largest entry sets a symmetric int8 scale, so every other
     * weight gets coarser steps.
     */
    STUDENT_T3("Student-t (ν=3)");

    private final String label;

    WeightDistribution(String label) {
        this.label = label;
    }

    /** Human-readable name used in the report. */
    public String label() {
        return label;
    }

    /** One sample with mean 0 and variance 1. */
    double sample(RandomGenerator random) {
        return switch (this) {
            case GAUSSIAN -> random.nextGaussian();
            case STUDENT_T3 -> {
                // t = Z / sqrt(χ²₃ / 3) has variance 3 / (3 - 2) = 3; divide by √3 for unit variance.
                double chi2 = 0;
                for (int i = 0; i < 3; i++) {
                    double z = random.nextGaussian();
                    chi2 += z * z;
                }
                yield random.nextGaussian() / Math.sqrt(chi2 / 3.0) / Math.sqrt(3.0);
            }
        };
    }
}
