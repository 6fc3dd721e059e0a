package dev.qlanes.jmh.accuracy;

import java.util.random.RandomGenerator;

/**
 * Shapes of the activations that reach a fully-connected layer. Every batch row also gets its own
 * amplitude (log-normal, about ±25 %), as real activations do: the hybrid path re-measures the range of
 * each row, while the full-integer path must live with one range calibrated in advance.
 */
public enum InputDistribution {
    /**
     * The output of a ReLU: half-normal with about half the entries exactly zero. Non-negative, so a
     * symmetric int8 grid wastes its negative half; an asymmetric one (zero point -128) uses all 256 levels.
     */
    RELU("ReLU (half-normal)"),
    /**
     * Signed Gaussian activations where 1 % of the channels are systematically 20× larger (the
     * "outlier features" of large transformer layers) and 0.1 % of all entries are random 10× spikes.
     * The outliers set the int8 range, so ordinary entries get only a few levels.
     */
    OUTLIERS("Gaussian + outliers");

    /** Outlier channels are this many times larger than ordinary ones. */
    static final double OUTLIER_CHANNEL_GAIN = 20.0;
    /** Share of channels that are outlier channels (at least one). */
    static final double OUTLIER_CHANNEL_SHARE = 0.01;
    /** Probability that any single entry is a random spike. */
    static final double SPIKE_PROBABILITY = 0.001;
    /** Spikes are this many times larger than an ordinary entry. */
    static final double SPIKE_GAIN = 10.0;

    private final String label;

    InputDistribution(String label) {
        this.label = label;
    }

    /** Human-readable name used in the report. */
    public String label() {
        return label;
    }

    /**
     * Fills {@code rows} batch rows of {@code inputSize} values. The outlier channels are fixed for a layer
     * (they are a property of the model, not of one sample), so they are passed in.
     */
    void fill(float[] out, int rows, int inputSize, boolean[] outlierChannel, RandomGenerator random) {
        for (int b = 0; b < rows; b++) {
            double amplitude = Math.exp(0.25 * random.nextGaussian());
            for (int c = 0; c < inputSize; c++) {
                double z = random.nextGaussian();
                double x = switch (this) {
                    case RELU -> Math.max(0.0, z);
                    case OUTLIERS -> {
                        double v = outlierChannel[c] ? OUTLIER_CHANNEL_GAIN * z : z;
                        yield random.nextDouble() < SPIKE_PROBABILITY ? SPIKE_GAIN * random.nextGaussian() : v;
                    }
                };
                out[b * inputSize + c] = (float) (amplitude * x);
            }
        }
    }

    /** The fixed outlier channels of a layer of this input size (none for {@link #RELU}). */
    boolean[] outlierChannels(int inputSize, RandomGenerator random) {
        boolean[] outlier = new boolean[inputSize];
        if (this == OUTLIERS) {
            int count = Math.max(1, (int) Math.round(OUTLIER_CHANNEL_SHARE * inputSize));
            for (int placed = 0; placed < count; ) {
                int c = random.nextInt(inputSize);
                if (!outlier[c]) {
                    outlier[c] = true;
                    placed++;
                }
            }
        }
        return outlier;
    }
}
