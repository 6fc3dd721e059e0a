package dev.qlanes.tflite.schema;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A custom operator ({@link BuiltinOperator#CUSTOM}): its {@code custom_code} and its opaque options.
 *
 * @param customCode the operator's name in the model's {@code operator_codes}, never null or empty
 * @param data the {@code custom_options} bytes (usually FlexBuffers), a read-only slice of the model's memory
 *        valid until the {@link ModelFile} is closed, or null when the operator has none
 */
public record CustomOptions(String customCode, MemorySegment data) implements OperatorOptions {
    /**
     * @throws IllegalArgumentException if customCode is empty
     * @throws NullPointerException if customCode is null
     */
    public CustomOptions {
        Objects.requireNonNull(customCode, "customCode");
        if (customCode.isEmpty()) {
            throw new IllegalArgumentException("empty custom code");
        }
    }
}
