package dev.qlanes.tflite.schema;

import java.util.Objects;

/**
 * {@code AddOptions} of TFLite's schema (the fused activation; {@code pot_scale_int16} is not decoded).
 *
 * @param activation the fused activation
 */
public record AddOptions(ActivationFunction activation) implements OperatorOptions {
    /** @throws NullPointerException if activation is null */
    public AddOptions {
        Objects.requireNonNull(activation, "activation");
    }
}
