package dev.qlanes.tflite.schema;

import java.util.Objects;

/**
 * {@code MulOptions} of TFLite's schema.
 *
 * @param activation the fused activation
 */
public record MulOptions(ActivationFunction activation) implements OperatorOptions {
    /** @throws NullPointerException if activation is null */
    public MulOptions {
        Objects.requireNonNull(activation, "activation");
    }
}
