package dev.qlanes.tflite.schema;

import java.util.Objects;

/**
 * {@code FullyConnectedOptions} of TFLite's schema.
 *
 * @param activation the fused activation
 * @param weightsFormat {@code FullyConnectedOptionsWeightsFormat}: 0 {@code DEFAULT} (row-major
 *        {@code [units, inputSize]}), 1 {@code SHUFFLED4x16INT8}; no other value is accepted
 * @param keepNumDims whether the output keeps the input's rank ({@code [..., units]}) instead of being
 *        flattened to {@code [batch, units]}
 * @param asymmetricQuantizeInputs whether the hybrid path quantizes its float inputs asymmetrically (with a zero
 *        point per batch row) instead of symmetrically
 */
public record FullyConnectedOptions(ActivationFunction activation, int weightsFormat, boolean keepNumDims,
                                    boolean asymmetricQuantizeInputs) implements OperatorOptions {
    /** {@code weightsFormat} of row-major weights. */
    public static final int WEIGHTS_FORMAT_DEFAULT = 0;
    /** {@code weightsFormat} of TFLite's shuffled int8 weights. */
    public static final int WEIGHTS_FORMAT_SHUFFLED4X16INT8 = 1;
    /** The schema's defaults, which TFLite uses when an operator has no options table. */
    public static final FullyConnectedOptions DEFAULTS =
            new FullyConnectedOptions(ActivationFunction.NONE, WEIGHTS_FORMAT_DEFAULT, false, false);

    /**
     * @throws IllegalArgumentException for a weights format other than 0 or 1
     * @throws NullPointerException if activation is null
     */
    public FullyConnectedOptions {
        Objects.requireNonNull(activation, "activation");
        if (weightsFormat != WEIGHTS_FORMAT_DEFAULT && weightsFormat != WEIGHTS_FORMAT_SHUFFLED4X16INT8) {
            throw new IllegalArgumentException("unknown weights format " + weightsFormat);
        }
    }
}
