package dev.qlanes.jmh.accuracy;

/** The ways the report runs one layer, from unquantized to full-integer. */
public enum AccuracyPath {
    FLOAT32(Family.FLOAT, "float32", false, false),
    HYBRID_SYMMETRIC_PER_TENSOR(Family.HYBRID, "hybrid, symmetric input, per-tensor weights", false, false),
    HYBRID_SYMMETRIC_PER_CHANNEL(Family.HYBRID, "hybrid, symmetric input, per-channel weights", false, true),
    HYBRID_ASYMMETRIC_PER_TENSOR(Family.HYBRID, "hybrid, asymmetric input, per-tensor weights", true, false),
    HYBRID_ASYMMETRIC_PER_CHANNEL(Family.HYBRID, "hybrid, asymmetric input, per-channel weights", true, true),
    INT8_PER_TENSOR(Family.FULL_INTEGER, "full-integer int8, per-tensor weights", true, false),
    INT8_PER_CHANNEL(Family.FULL_INTEGER, "full-integer int8, per-channel weights", true, true);

    /** What kind of arithmetic a path uses. */
    public enum Family { FLOAT, HYBRID, FULL_INTEGER }

    private final Family family;
    private final String label;
    private final boolean asymmetricInput;
    private final boolean perChannel;

    AccuracyPath(Family family, String label, boolean asymmetricInput, boolean perChannel) {
        this.family = family;
        this.label = label;
        this.asymmetricInput = asymmetricInput;
        this.perChannel = perChannel;
    }

    public Family family() {
        return family;
    }

    /** Human-readable name used in the report. */
    public String label() {
        return label;
    }

    /** Whether inputs carry a zero point (always true for full-integer, whose Z1 is calibrated). */
    public boolean asymmetricInput() {
        return asymmetricInput;
    }

    /** Whether the weights have one scale per output channel. */
    public boolean perChannel() {
        return perChannel;
    }

    /** A short column or legend name, e.g. {@code "hybrid asym/pc"}. */
    public String shortLabel() {
        return switch (family) {
            case FLOAT -> "float32";
            case HYBRID -> "hybrid " + (asymmetricInput ? "asym" : "sym") + "/" + (perChannel ? "pc" : "pt");
            case FULL_INTEGER -> "int8 " + (perChannel ? "pc" : "pt");
        };
    }
}
